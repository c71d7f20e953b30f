package icimstest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAddCustomerIsAUSCustomerOfItsOwn(t *testing.T) {
	s := New(Options{BaseURL: "http://sim.test"})
	require.NoError(t, s.AddCustomer("9001", "Customer 9001"))
	require.Error(t, s.AddCustomer("9001", "again"), "ids are unique")
	require.Error(t, s.AddCustomer(CustomerUS, "again"), "seeded ids are taken")
	require.Error(t, s.AddCustomer("abc", "not a number"))

	_, err := s.PersonFields("9001", USPerson1)
	require.NoError(t, err, "the seeded candidates are there")
	pid, err := s.AddPerson("9001", map[string]any{"firstname": "New", "lastname": "Person"})
	require.NoError(t, err)
	_, err = s.PersonFields(CustomerUS, pid)
	assert.Error(t, err, "the US customer does not see the new customer's people")

	s.Reset()
	require.NoError(t, s.AddCustomer("9001", "Customer 9001"), "Reset removed it")
}

package icimstest

import (
	"errors"
	"fmt"
	"strconv"
)

// AddCustomer adds a customer with id and name, set up as the seeded US
// customer is (the same lists, jobs, statuses and candidates, at the same
// ids, in a state of its own), for tests and benches that need many
// customers. The id must be a number, as iCIMS customer ids are, and not
// in use. Reset removes added customers.
func (s *Sim) AddCustomer(id, name string) error {
	if _, err := strconv.ParseUint(id, 10, 32); err != nil {
		return errors.New("icimstest: add customer: the id must be a number")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.customers[id] != nil {
		return fmt.Errorf("icimstest: add customer: %s exists", id)
	}
	s.customers[id] = seedUSLike(id, name)
	s.customerIDs = append(s.customerIDs, id)
	return nil
}

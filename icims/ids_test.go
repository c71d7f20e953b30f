package icims_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/icims"
)

func TestCanonicalID(t *testing.T) {
	cases := []struct {
		in, want string
		bad      bool
	}{
		{in: "3002", want: "3002"},
		{in: "0003002", want: "3002"},
		{in: "  3002 ", want: "3002"},
		{in: " 00 ", want: "0"},
		{in: "0", want: "0"},
		{in: "", want: ""},
		{in: "000000000000000000000000001", want: "1"},
		{in: "123456789012345678901", bad: true},
		{in: "30 02", bad: true},
		{in: "-3002", bad: true},
		{in: "+3002", bad: true},
		{in: "3002;DROP", bad: true},
		{in: "３００２", bad: true}, // full-width digits
		{in: "0x1f", bad: true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := icims.CanonicalID(c.in)
			if c.bad {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "not an iCIMS id")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

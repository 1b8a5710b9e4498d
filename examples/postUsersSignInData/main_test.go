package main

import (
	"bytes"
	"testing"

	"github.com/plexkit/plexgo/examples/internal/examplefake"
)

// The example's logic, in process, against the fake.
func TestRunFake(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := examplefake.Run(t.Context(), &out, true, call, report); err != nil {
		t.Fatal(err)
	}
	if out.Len() == 0 || bytes.Count(out.Bytes(), []byte("\n")) != 1 {
		t.Errorf("printed %q", out.String())
	}
}

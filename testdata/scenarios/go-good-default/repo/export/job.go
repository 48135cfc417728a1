package export

import (
	"fmt"
	"io"
	"time"
)

// Job exports the orders of a period for the reporting bucket.
type Job struct {
	// Source lists the orders placed in [from, to).
	Source func(from, to time.Time) ([]Order, error)
	// Report is told about every export that failed; production sends it
	// to the error tracker.
	Report func(error)
}

// Run exports the orders placed in [from, to) to w, reporting a failure
// before returning it.
func (j *Job) Run(w io.Writer, from, to time.Time) error {
	orders, err := j.Source(from, to)
	if err != nil {
		err = fmt.Errorf("export: list orders: %w", err)
	} else {
		err = Orders(w, orders, Options{})
	}
	if err != nil {
		j.Report(err)
	}
	return err
}

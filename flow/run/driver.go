package run

import (
	"errors"
	"fmt"
	"time"
)

// Driver runs a Run without a user interface, the way a frontend does: every task in its own
// goroutine, every result applied on the caller's goroutine one at a time. Tests and
// headless tools drive a run with it.
type Driver struct {
	r        *Run
	results  chan Result
	inflight int
	// Outcomes are the outcomes applied so far, in order.
	Outcomes []Outcome
	// Limit bounds each wait in real time (0: 10 s), so a run that hangs fails instead.
	Limit time.Duration
}

// NewDriver returns a driver of r.
func NewDriver(r *Run) *Driver { return &Driver{r: r, results: make(chan Result, 64)} }

// start launches the tasks the run asked for.
func (d *Driver) start() {
	for _, t := range d.r.Tasks() {
		d.inflight++
		go func(t Task) { d.results <- t.Do() }(t)
	}
}

// ErrIdle means the run has nothing left to do and the condition does not hold.
var ErrIdle = errors.New("the run is idle")

// Until applies results until cond holds; ErrIdle when no work is left first, an error
// after Limit of real time without a result.
func (d *Driver) Until(cond func() bool) error {
	limit := d.Limit
	if limit <= 0 {
		limit = 10 * time.Second
	}
	for {
		d.start()
		if cond() {
			return nil
		}
		if d.inflight == 0 {
			return ErrIdle
		}
		select {
		case res := <-d.results:
			d.inflight--
			if o := d.r.Apply(res); o != nil {
				d.Outcomes = append(d.Outcomes, o)
			}
		case <-time.After(limit):
			return fmt.Errorf("no result for %v with %d tasks in flight on step %s", limit, d.inflight, d.r.Step())
		}
	}
}

// Idle applies results until no work is left (a pause or a stream keeps it busy until it
// ends).
func (d *Driver) Idle() error {
	err := d.Until(func() bool { return false })
	if errors.Is(err, ErrIdle) {
		return nil
	}
	return err
}

// Close ends the run (Run.Close) and waits for the tasks still in flight, whose results are
// dropped, so no goroutine of the run outlives it. It returns Run.Close's error.
func (d *Driver) Close() error {
	err := d.r.Close()
	for d.inflight > 0 {
		<-d.results
		d.inflight--
	}
	return err
}

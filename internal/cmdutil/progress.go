package cmdutil

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// spinnerFrames are drawn in turn on a terminal.
var spinnerFrames = [...]string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// Countdown shows that plexauth is waiting for the PIN to be approved:
// on a terminal a spinner with the time left, redrawn in place; otherwise
// a plain line now and then.
type Countdown struct {
	w        io.Writer
	tty      bool
	now      func() time.Time
	deadline time.Time
	every    time.Duration // plain mode: time between lines

	mu        sync.Mutex
	lastPlain time.Duration // remaining time at the last plain line
	stop      chan struct{}
	done      chan struct{}
}

// NewCountdown returns a Countdown drawing on w (a spinner when tty).
func NewCountdown(w io.Writer, tty bool, now func() time.Time) *Countdown {
	return &Countdown{w: w, tty: tty, now: now, every: 30 * time.Second}
}

// Start begins waiting for a PIN that expires at deadline.
func (c *Countdown) Start(deadline time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadline = deadline
	left := deadline.Sub(c.now())
	if !c.tty {
		c.lastPlain = left
		fmt.Fprintf(c.w, "Waiting for approval (the code expires in %s)...\n", left.Round(time.Second))
		return
	}
	if c.stop != nil {
		return
	}
	c.stop, c.done = make(chan struct{}), make(chan struct{})
	go c.spin(c.stop, c.done)
}

func (c *Countdown) spin(stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		c.mu.Lock()
		left := c.deadline.Sub(c.now())
		if left < 0 {
			left = 0
		}
		m, s := int(left/time.Minute), int(left%time.Minute/time.Second)
		fmt.Fprintf(c.w, "\r\033[K%s Waiting for approval... %d:%02d left (Ctrl-C to cancel)", spinnerFrames[i%len(spinnerFrames)], m, s)
		c.mu.Unlock()
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// Poll records one poll; in plain mode it prints a line every 30 s.
func (c *Countdown) Poll(remaining time.Duration) {
	if c.tty {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lastPlain-remaining >= c.every && remaining > 0 {
		c.lastPlain = remaining
		fmt.Fprintf(c.w, "Still waiting for approval (%s left)...\n", remaining.Round(time.Second))
	}
}

// Stop ends the display and clears the spinner line.
func (c *Countdown) Stop() {
	c.mu.Lock()
	stop, done := c.stop, c.done
	c.stop, c.done = nil, nil
	c.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	<-done
	fmt.Fprint(c.w, "\r\033[K")
}

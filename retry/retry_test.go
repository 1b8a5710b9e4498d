package retry

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 12 ", 12 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"1.5", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"99999999999999999", time.Duration(1<<63 - 1), true},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	c := Config{InitialInterval: 100 * time.Millisecond, MaxInterval: time.Second, Multiplier: 2}
	one := func() float64 { return 1 }
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second, time.Second}
	for i, w := range want {
		if got := c.Backoff(i+1, one); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	for attempt := 0; attempt <= 200; attempt++ {
		if got := c.Backoff(attempt, one); got < 0 || got > time.Second {
			t.Fatalf("Backoff(%d) = %v out of range", attempt, got)
		}
	}
	half := func() float64 { return 0.5 }
	if got := c.Backoff(2, half); got != 100*time.Millisecond {
		t.Errorf("jittered Backoff(2) = %v, want 100ms", got)
	}
}

func TestRetryableStatus(t *testing.T) {
	for code, want := range map[int]bool{200: false, 400: false, 401: false, 404: false, 429: true, 500: true, 501: false, 502: true, 503: true, 504: true} {
		if got := RetryableStatus(code); got != want {
			t.Errorf("RetryableStatus(%d) = %v, want %v", code, got, want)
		}
	}
}

func TestAttempts(t *testing.T) {
	if (Config{}).Attempts() != 1 || None().Attempts() != 1 || Default().Attempts() != 3 {
		t.Fatal("Attempts: zero/None must mean one attempt, Default three")
	}
	if (Config{}).RetryAfterCap() != time.Minute {
		t.Fatal("RetryAfterCap default must be a minute")
	}
}

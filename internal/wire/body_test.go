package wire

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/plexkit/plexgo/models/sdkerrors"
)

// allocated returns the bytes f allocated on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A server announcing 1 GiB and sending 2 bytes must not make the client
// allocate the announced size (not parallel: it measures the heap).
func TestLyingContentLength(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(1<<30))
		_, _ = w.Write([]byte("{}"))
	}))
	t.Cleanup(srv.Close)
	c := stubClient(nil)
	c.HTTP = srv.Client()
	c.PlexTVURL = srv.URL
	c.MaxBody = 1 << 40
	var err error
	got := allocated(func() {
		var out map[string]any
		_, err = c.Do(t.Context(), &Call{Op: "lie", Method: http.MethodGet, Host: PlexTV, Path: "x", Out: &out}, nil)
	})
	if !errors.Is(err, sdkerrors.ErrUnexpectedContent) {
		t.Errorf("got %v, want ErrUnexpectedContent (truncated body)", err)
	}
	if got > 16<<20 {
		t.Errorf("allocated %d MiB for a 2-byte body announced as 1 GiB", got>>20)
	}
}

func TestReadBody(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, preallocMax - 1, preallocMax, preallocMax + 1, 3*preallocMax + 7, 1 << 20} {
		body := bytes.Repeat([]byte("x"), n)
		// One byte per Read, so the buffer grows through every step.
		rd := iotest.OneByteReader(bytes.NewReader(body))
		if n > 1<<18 {
			rd = bytes.NewReader(body)
		}
		data, err := readBody(&http.Response{ContentLength: int64(n), Body: io.NopCloser(rd)}, 1<<20)
		if err != nil || !bytes.Equal(data, body) {
			t.Errorf("%d bytes: got %d, %v", n, len(data), err)
		}
		if n > 0 {
			_, err = readBody(&http.Response{ContentLength: int64(n) + 5, Body: io.NopCloser(bytes.NewReader(body))}, 1<<20+5)
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("%d bytes announced as %d: %v", n, n+5, err)
			}
		}
	}
	// A longer body than announced is cut at the announced length.
	data, err := readBody(&http.Response{ContentLength: preallocMax + 2, Body: io.NopCloser(strings.NewReader(strings.Repeat("y", preallocMax+10)))}, 1<<20)
	if err != nil || len(data) != preallocMax+2 {
		t.Errorf("over-long body: %d %v", len(data), err)
	}
	// Over the limit: read through the limit, refused.
	if _, err := readBody(&http.Response{ContentLength: 1 << 21, Body: io.NopCloser(bytes.NewReader(make([]byte, 1<<21)))}, 1<<20); !errors.Is(err, sdkerrors.ErrResponseTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
}

// An announced length over the limit is refused whatever its size.
func TestReadBodyAnnouncedOverLimit(t *testing.T) {
	t.Parallel()
	for _, n := range []int{100, preallocMax + 100} {
		_, err := readBody(&http.Response{ContentLength: int64(n), Body: io.NopCloser(bytes.NewReader(make([]byte, n)))}, 50)
		if !errors.Is(err, sdkerrors.ErrResponseTooLarge) {
			t.Errorf("%d bytes over a 50-byte limit: %v", n, err)
		}
	}
}

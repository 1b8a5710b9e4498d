package servers_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/servers"
)

// benchBest is the injected latency of the best-ranked candidate (the only
// local one): the ideal time-to-result.
const benchBest = 20 * time.Millisecond

// benchSpecs builds n connections: one local at benchBest, the rest remote
// (5–99 ms), relays at 5 ms, dead addresses and black holes, with the best
// one listed last.
func benchSpecs(n int) []plextest.ConnSpec {
	specs := []plextest.ConnSpec{{Local: true, Latency: benchBest}}
	for i := 1; i < n; i++ {
		switch {
		case i%10 == 0:
			specs = append(specs, plextest.ConnSpec{Relay: true, Latency: 5 * time.Millisecond})
		case i%13 == 0:
			specs = append(specs, plextest.ConnSpec{BlackHole: true})
		case i%7 == 0:
			specs = append(specs, plextest.ConnSpec{Dead: true})
		default:
			specs = append(specs, plextest.ConnSpec{Latency: time.Duration(5+(i*37)%95) * time.Millisecond})
		}
	}
	slices.Reverse(specs)
	return specs
}

// BenchmarkConnect measures Connect's time-to-result against the ideal
// (the best candidate's injected latency) with 1, 10 and 100 candidates,
// and how often the best-ranked candidate won (it can lose only when it
// answers later than the grace period after the first success, which on
// a loaded machine happens when 100 probes and the fake share two cores).
// Each iteration uses a fresh HTTP transport, so every probe dials, as
// the first Connect of a program does. See docs/benchmarks-connect.md.
func BenchmarkConnect(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("candidates=%d", n), func(b *testing.B) {
			fake := plextest.NewServer(b)
			info := fake.AddServer(plextest.ServerSpec{Name: "bench", Connections: benchSpecs(n)})
			alice := account(b, fake, plextest.DefaultLogin)
			srv := findServer(b, newSDK(b, fake, nil, alice.AuthToken), info.MachineIdentifier)
			want := info.Connections[len(info.Connections)-1].URI
			opts := servers.DefaultConnectOptions()
			ctx := context.Background()

			var total, worst time.Duration
			best := 0
			b.ResetTimer()
			for range b.N {
				tr := &http.Transport{}
				sdk := plexgo.New(
					plexgo.WithPlexTVURL(fake.PlexTVURL),
					plexgo.WithXPlexClientIdentifier(testClientID),
					plexgo.WithClient(&http.Client{Transport: tr}),
				)
				start := time.Now()
				res, err := servers.Connect(ctx, sdk, srv, opts)
				d := time.Since(start)
				if err != nil {
					b.Fatalf("Connect: %v", err)
				}
				if res.URI == want {
					best++
				}
				total += d
				worst = max(worst, d)
				b.StopTimer()
				tr.CloseIdleConnections()
				b.StartTimer()
			}
			avg := total / time.Duration(b.N)
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
			b.ReportMetric(ms(avg), "ms-to-result")
			b.ReportMetric(ms(benchBest), "ms-ideal")
			b.ReportMetric(ms(avg-benchBest), "ms-overhead")
			b.ReportMetric(ms(worst), "ms-worst")
			b.ReportMetric(100*float64(best)/float64(b.N), "%best-chosen")
		})
	}
}

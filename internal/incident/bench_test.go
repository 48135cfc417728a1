package incident_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/maruel/panicparse/v2/stack"

	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/runnertest"
)

// benchInputs name one fixture per input format and trace language.
var benchInputs = []struct {
	name, path string
	format     incident.Format
}{
	{"sentry-event", "sentry-events/java/sentry-grouping-input.java-chained.json", incident.FormatSentryEvent},
	{"sentry-webhook", "sentry-webhooks/event_alert.triggered.json", incident.FormatSentryWebhook},
	{"sentry-api", "sentry-api/issue-event-latest.json", incident.FormatSentryAPI},
	{"dispatch", "sentry-events/java/sentry-grouping-input.java-chained.json", incident.FormatDispatch},
	{"trace-go", "stacktraces/go/panicparse.staticPanicweb.txt", incident.FormatTrace},
	{"trace-python", "stacktraces/python/loguru.grouped_with_cause_and_context.txt", incident.FormatTrace},
	{"trace-java", "stacktraces/java/splitlog.exception-with-causes.txt", incident.FormatTrace},
	{"trace-javascript", "stacktraces/node/stacktrace-parser.NODE_SPACE.txt", incident.FormatTrace},
	{"trace-csharp", "stacktraces/dotnet/fluent-detect-exceptions.CSHARP_ASYNC_EXC.txt", incident.FormatTrace},
	{"trace-ruby", "stacktraces/ruby/satyr.ruby-01.txt", incident.FormatTrace},
	{"trace-php", "stacktraces/php/fluent-detect-exceptions.PHP_ON_GAE_EXC.txt", incident.FormatTrace},
}

// readFixture reads a shared fixture; without it the benchmark is
// runnertest.Unavailable.
func readFixture(b *testing.B, rel string) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(fixturesDir, rel))
	if err != nil {
		runnertest.Unavailable(b, "shared fixture %s not found (%v); the benchmarks parse the shared fixtures", rel, err)
	}
	return data
}

// BenchmarkParse measures Parse throughput per input format.
func BenchmarkParse(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			data := readFixture(b, in.path)
			if in.format == incident.FormatDispatch {
				// The dispatch fixture carries no incident: carry the event.
				data = append(append([]byte(`{"action":"dawnpatch","client_payload":{"event":`), data...), "}}"...)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := incident.Parse(data, in.format); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGoDump compares Parse with panicparse's ScanSnapshot on the
// same 60 KB goroutine dump. panicparse runs with every option that reads
// the disk or rewrites arguments off, so both only parse.
func BenchmarkGoDump(b *testing.B) {
	data := readFixture(b, "stacktraces/go/panicparse.staticPanicweb.txt")
	b.Run("dawnpatch", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := incident.Parse(data, incident.FormatTrace); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("panicparse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			s, _, err := stack.ScanSnapshot(bytes.NewReader(data), io.Discard, &stack.Opts{})
			if err != nil && err != io.EOF || s == nil || len(s.Goroutines) == 0 {
				b.Fatalf("panicparse: %v", err)
			}
		}
	})
}

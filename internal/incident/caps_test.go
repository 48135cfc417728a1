package incident_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// hugeEvent builds an ingest event with a message of msgBytes, nFrames
// frames (the last one, the crash site, has a 4000-byte function name) and
// nChain chained exceptions, written directly as JSON text to stay small in
// memory.
func hugeEvent(msgBytes, nFrames, nChain int) []byte {
	var b strings.Builder
	b.WriteString(`{"platform":"go","exception":{"values":[`)
	for i := range nChain {
		fmt.Fprintf(&b, `{"type":"Cause%d","value":"c"},`, i)
	}
	b.WriteString(`{"type":"Boom","value":"` + strings.Repeat("ü", msgBytes/2) + `","stacktrace":{"frames":[`)
	for i := range nFrames - 1 {
		fmt.Fprintf(&b, `{"function":"f%d"},`, i)
	}
	fmt.Fprintf(&b, `{"filename":"app.go","function":"%s","lineno":%d}]}}]}}`, strings.Repeat("é", 2000), nFrames)
	return []byte(b.String())
}

func TestParseCaps(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10 MB message and a million frames; skipped with -short")
	}
	inc, err := incident.Parse(hugeEvent(10<<20, 1_000_000, 20), incident.FormatSentryEvent)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(inc.Message); n > incident.MaxMessageBytes || n < incident.MaxMessageBytes-16 || !utf8.ValidString(inc.Message) {
		t.Errorf("message is %d bytes (valid UTF-8: %v), want just under %d", n, utf8.ValidString(inc.Message), incident.MaxMessageBytes)
	}
	if !strings.HasSuffix(inc.Message, "[truncated]") {
		t.Errorf("a cut message should say so, ends with %q", inc.Message[len(inc.Message)-20:])
	}
	if got, want := len(inc.Frames), incident.MaxFrames; got != want {
		t.Fatalf("frames = %d, want %d", got, want)
	}
	if got, want := inc.Frames[0].Function, fmt.Sprintf("f%d", 1_000_000-incident.MaxFrames); got != want {
		t.Errorf("first kept frame = %q, want %q (the crash end is kept)", got, want)
	}
	last := inc.Frames[len(inc.Frames)-1]
	if last.Line != 1_000_000 || len(last.Function) > incident.MaxStringBytes || !utf8.ValidString(last.Function) {
		t.Errorf("crash frame line %d, function of %d bytes; want line 1000000 and at most %d bytes", last.Line, len(last.Function), incident.MaxStringBytes)
	}
	if got, want := len(inc.Chain), incident.MaxChain; got != want {
		t.Errorf("chain = %d, want %d", got, want)
	}
	if got, want := inc.Chain[0].Type, "Cause0"; got != want {
		t.Errorf("chain starts with %q, want the deepest cause %q", got, want)
	}
}

func TestParseTraceCaps(t *testing.T) {
	var b strings.Builder
	b.WriteString("panic: " + strings.Repeat("x", 20000) + "\n\ngoroutine 1 [running]:\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "main.f%d()\n\t/app/main.go:%d +0x1d\n", i, i+1)
	}
	inc, err := incident.Parse([]byte(b.String()), incident.FormatTrace)
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Message) > incident.MaxMessageBytes || len(inc.Frames) != incident.MaxFrames {
		t.Errorf("message %d bytes, %d frames; want at most %d and %d", len(inc.Message), len(inc.Frames), incident.MaxMessageBytes, incident.MaxFrames)
	}
	if got := inc.Frames[len(inc.Frames)-1].Function; got != "f0" {
		t.Errorf("crash frame = %q, want f0 (Go prints it first)", got)
	}
}

func TestParseTraceCapsPerLanguage(t *testing.T) {
	huge := func(head, frame, tail string, n int) string {
		var b strings.Builder
		b.WriteString(head)
		for i := range n {
			fmt.Fprintf(&b, frame, i+1)
		}
		b.WriteString(tail)
		return b.String()
	}
	longMsg := strings.Repeat("line of message\n", 50_000)
	tests := []struct {
		name, input string
	}{
		{"python frames and a long multi-line message", huge("Traceback (most recent call last):\n", "  File \"a.py\", line %d, in f\n    f()\n", "ValueError: "+longMsg, 50_000)},
		{"java caused-by chain", huge("java.lang.Error: top\n\tat a.B.c(B.java:1)\n", "Caused by: java.lang.Error: cause %d\n\tat a.B.c(B.java:2)\n\t... 1 more\n", "", 20_000)},
		{"javascript frames", huge("Error: x\n", "    at f (/a.js:%d:1)\n", "", 50_000)},
		{"many separate ruby traces", huge("", "/a.rb:%d:in `f': boom (RuntimeError)\n\tfrom /a.rb:1:in `<main>'\n\n", "", 20_000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, err := incident.Parse([]byte(tt.input), incident.FormatTrace)
			if err != nil {
				t.Fatal(err)
			}
			if len(inc.Message) > incident.MaxMessageBytes || len(inc.Frames) > incident.MaxFrames || len(inc.Chain) > incident.MaxChain {
				t.Errorf("message %d bytes, %d frames, %d chained: over the caps", len(inc.Message), len(inc.Frames), len(inc.Chain))
			}
			if len(inc.Frames) == 0 {
				t.Error("no frames kept")
			}
		})
	}
}

package incident_test

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

func TestParseGoTrace(t *testing.T) {
	tests := []struct {
		name      string
		input     string
		wantType  string
		wantMsg   string
		wantStack []string // function@line, Sentry order
	}{
		{
			name: "nested panic, Go 1.21 goroutine header and created by",
			input: "panic: first [recovered]\n\tpanic: runtime error: slice bounds out of range [:5] with capacity 3\n\n" +
				"goroutine 7 gp=0xc000102380 m=3 mp=0xc000100008 [running]:\n" +
				"main.parse.func1()\n\t/src/app/parse.go:12 +0x1d\n" +
				"panic({0x4a2b40?, 0xc0000a8018?})\n\t/usr/local/go/src/runtime/panic.go:785 +0x132\n" +
				"main.parse({0xc0000b2000, 0x3})\n\t/src/app/parse.go:20 +0x88\n" +
				"main.worker(...)\n\t/src/app/main.go:31\n" +
				"created by main.main in goroutine 1\n\t/src/app/main.go:40 +0x25\n",
			wantType:  "runtime.Error",
			wantMsg:   "runtime error: slice bounds out of range [:5] with capacity 3",
			wantStack: []string{"worker@31", "parse@20"},
		},
		{
			name: "fatal error picks the running goroutine",
			input: "fatal error: concurrent map writes\n\n" +
				"goroutine 1 [chan receive]:\nmain.main()\n\t/src/app/main.go:9 +0x10\n\n" +
				"goroutine 18 [running]:\nmain.store(...)\n\t/src/app/store.go:5\nmain.serve()\n\t/src/app/store.go:11 +0x5c\n",
			wantType:  "fatal error",
			wantMsg:   "concurrent map writes",
			wantStack: []string{"serve@11", "store@5"},
		},
		{
			name: "multi-line panic value",
			input: "panic: bad config:\nline two\n\ngoroutine 1 [running]:\n" +
				"main.main()\n\tC:/src/app/main.go:9 +0x10\nexit status 2\n",
			wantType:  "panic",
			wantMsg:   "bad config:\nline two",
			wantStack: []string{"main@9"},
		},
		{
			name:      "crlf and elided frames",
			input:     "panic: x\r\n\r\ngoroutine 1 [running]:\r\nmain.a()\r\n\t/app/a.go:1 +0x1\r\n...additional frames elided...\r\nmain.b()\r\n\t/app/a.go:2 +0x1\r\n",
			wantType:  "panic",
			wantMsg:   "x",
			wantStack: []string{"b@2", "a@1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, err := incident.Parse([]byte(tt.input), incident.FormatAuto)
			if err != nil {
				t.Fatal(err)
			}
			if inc.Type != tt.wantType || inc.Message != tt.wantMsg || inc.Source != "trace" || inc.Language != "go" {
				t.Errorf("source, language, type, message = %q, %q, %q, %q; want trace, go, %q, %q",
					inc.Source, inc.Language, inc.Type, inc.Message, tt.wantType, tt.wantMsg)
			}
			var stack []string
			for _, f := range inc.Frames {
				stack = append(stack, f.Function+"@"+strconv.Itoa(f.Line))
			}
			if diff := cmp.Diff(tt.wantStack, stack); diff != "" {
				t.Errorf("frames (-want +got):\n%s", diff)
			}
		})
	}
}

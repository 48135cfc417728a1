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
		{
			name: "t.Log(debug.Stack()) inside go test output, no panic line",
			input: "=== RUN   TestCheckout\n" +
				"    checkout_test.go:31: goroutine 21 [running]:\n" +
				"        runtime/debug.Stack()\n        \t/usr/local/go/src/runtime/debug/stack.go:26 +0x5e\n" +
				"        example.com/shop.TestCheckout(0xc000184680)\n        \t/src/shop/checkout_test.go:31 +0x25\n" +
				"        testing.tRunner(0xc000184680, 0x5f6d28)\n        \t/usr/local/go/src/testing/testing.go:1792 +0xf4\n" +
				"        created by testing.(*T).Run in goroutine 1\n        \t/usr/local/go/src/testing/testing.go:1851 +0x413\n" +
				"--- FAIL: TestCheckout (0.00s)\nFAIL\n",
			wantStack: []string{"tRunner@1792", "TestCheckout@31", "Stack@26"},
		},
		{
			name: "goleak 1.3 leak report: the first goroutine reported",
			input: "    leaks.go:83: found unexpected goroutines:\n" +
				"        [Goroutine 13 in state chan send, 1 minutes, with example.com/shop.(*Pool).run on top of the stack:\n" +
				"        example.com/shop.(*Pool).run(0xc0000a2000)\n        \t/src/shop/pool.go:41 +0xcd\n" +
				"        created by example.com/shop.NewPool in goroutine 12\n        \t/src/shop/pool.go:30 +0x2c6\n" +
				"         Goroutine 27 in state select, with example.com/shop.watch on top of the stack:\n" +
				"        example.com/shop.watch()\n        \t/src/shop/watch.go:9 +0x87\n" +
				"        created by example.com/shop.Start in goroutine 1\n        \t/src/shop/watch.go:5 +0x44\n" +
				"        ]\n",
			wantStack: []string{"(*Pool).run@41"},
		},
		{
			name: "indented dump: the running goroutine, not the first",
			input: "    goroutine 1 [chan receive]:\n    main.main()\n    \t/src/app/main.go:9 +0x10\n\n" +
				"    goroutine 18 [running]:\n    main.serve()\n    \t/src/app/serve.go:11 +0x5c\n",
			wantStack: []string{"serve@11"},
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

package incident_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// TestDependencyFramesNeverInApp sends one frame per case in a Sentry event,
// once with the SDK's in_app true and once false: a file in a dependency
// cache or a Go installation is never in-app; any other file keeps what
// the SDK said.
func TestDependencyFramesNeverInApp(t *testing.T) {
	tests := []struct {
		name       string
		platform   string
		filename   string
		absPath    string
		dependency bool
	}{
		{"go module cache", "go", "", "/home/runner/go/pkg/mod/github.com/getsentry/sentry-go@v0.50.0/http/sentryhttp.go", true},
		{"go module cache, windows", "go", "", `C:\Users\dev\go\pkg\mod\golang.org\x\sync@v0.19.0\errgroup\errgroup.go`, true},
		{"goroot /usr/local/go", "go", "", "/usr/local/go/src/net/http/server.go", true},
		{"goroot setup-go tool cache", "go", "", "/opt/hostedtoolcache/go/1.22.1/x64/src/runtime/panic.go", true},
		{"goroot golang.org/dl", "go", "", "/home/dev/sdk/go1.22.1/src/net/http/server.go", true},
		{"goroot homebrew", "go", "", "/opt/homebrew/Cellar/go/1.21.0/libexec/src/runtime/netpoll.go", true},
		{"goroot debian", "go", "", "/usr/lib/go-1.21/src/runtime/panic.go", true},
		{"goroot runtime, relative", "go", "", "go/src/runtime/panic.go", true},
		{"python site-packages", "python", "django/core/handlers/exception.py", "/usr/local/lib/python3.12/site-packages/django/core/handlers/exception.py", true},
		{"python dist-packages", "python", "requests/api.py", "/usr/lib/python3/dist-packages/requests/api.py", true},
		{"node_modules", "node", "/app/node_modules/express/lib/router/index.js", "", true},
		{"node_modules, relative", "javascript", "node_modules/react-dom/cjs/react-dom.development.js", "", true},
		{"go application", "go", "", "/home/runner/work/shop/shop/cart/cart.go", false},
		{"go application in a GOPATH", "go", "", "/home/dev/go/src/github.com/acme/shop/main.go", false},
		{"python application", "python", "app/views.py", "/srv/app/views.py", false},
		{"node application", "node", "/app/src/server.js", "", false},
	}
	for _, tt := range tests {
		for _, sdk := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/sdk in_app %t", tt.name, sdk), func(t *testing.T) {
				frame := map[string]any{"function": "f", "lineno": 7, "in_app": sdk}
				if tt.filename != "" {
					frame["filename"] = tt.filename
				}
				if tt.absPath != "" {
					frame["abs_path"] = tt.absPath
				}
				inc := parseEvent(t, map[string]any{
					"platform": tt.platform,
					"exception": map[string]any{"values": []any{map[string]any{
						"type": "E", "value": "v", "stacktrace": map[string]any{"frames": []any{frame}},
					}}},
				})
				want := sdk && !tt.dependency
				if got := inc.Frames[0].InApp; got != want {
					t.Errorf("in_app = %t, want %t (frame %+v)", got, want, inc.Frames[0])
				}
			})
		}
	}
}

// TestDependencyFramesGuessed checks the same paths in raw traces, where no
// SDK says anything: cache and GOROOT frames are not in-app.
func TestDependencyFramesGuessed(t *testing.T) {
	tests := []struct {
		name  string
		trace string
		want  []bool // in_app of each frame, outermost first
	}{
		{
			name: "go",
			trace: "panic: boom\n\ngoroutine 1 [running]:\n" +
				"github.com/getsentry/sentry-go/http.(*Handler).handle.func1()\n\t/root/go/pkg/mod/github.com/getsentry/sentry-go@v0.50.0/http/sentryhttp.go:119 +0x1\n" +
				"net/http.HandlerFunc.ServeHTTP(0x1)\n\t/opt/hostedtoolcache/go/1.22.1/x64/src/net/http/server.go:2166 +0x29\n" +
				"main.main()\n\t/src/shop/main.go:12 +0x2\n",
			want: []bool{true, false, false},
		},
		{
			name: "python",
			trace: "Traceback (most recent call last):\n" +
				"  File \"/srv/app/views.py\", line 3, in index\n    return render()\n" +
				"  File \"/venv/lib/python3.12/site-packages/django/shortcuts.py\", line 24, in render\n    x\n" +
				"ValueError: v\n",
			want: []bool{true, false},
		},
		{
			name: "node",
			trace: "TypeError: x is undefined\n" +
				"    at handle (/app/node_modules/express/lib/router/layer.js:95:5)\n" +
				"    at getCart (/app/src/cart.js:10:3)\n",
			want: []bool{true, false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, err := incident.Parse([]byte(tt.trace), incident.FormatTrace)
			if err != nil {
				t.Fatal(err)
			}
			var got []bool
			for _, f := range inc.Frames {
				got = append(got, f.InApp)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("in_app = %v, want %v (frames %+v)", got, tt.want, inc.Frames)
			}
		})
	}
}

// parseEvent marshals ev and parses it as a Sentry event.
func parseEvent(t *testing.T, ev map[string]any) *incident.Incident {
	t.Helper()
	data, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	inc, err := incident.Parse(data, incident.FormatSentryEvent)
	if err != nil {
		t.Fatalf("parse %s: %v", data, err)
	}
	return inc
}

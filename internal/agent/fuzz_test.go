package agent

import (
	"context"
	"strings"
	"testing"
)

// FuzzToolCalls runs every tool on arbitrary arguments: no panic, and
// nothing outside the checkout (the canary) ever comes back.
func FuzzToolCalls(f *testing.F) {
	ws := shopRepo(f)
	for _, seed := range []string{
		`{"path": "internal/orders/handler.go", "start": 3, "end": 9}`, `{"path": "../../etc/passwd"}`,
		`{"path": "docs/notes.txt"}`, `{"pattern": "CANARY", "glob": "**"}`, `{"pattern": "(", "regex": true}`,
		`{"name": "(*Handler).discount"}`, `{"path": "evil", "start": -1, "end": 1e9}`, `{"path": "internal/pool/config.go", "start": 1, "end": 4}`,
	} {
		f.Add(seed)
	}
	fence := fixedFence(f)
	f.Fuzz(func(t *testing.T, args string) {
		for _, tl := range toolSet {
			r, err := tl.run(context.Background(), ws, []byte(args))
			if err != nil {
				continue
			}
			s := &session{fence: fence}
			if out := s.render(r); strings.Contains(out, canary) || strings.Contains(out, ws.Root()) {
				t.Fatalf("%s(%s) leaked:\n%s", tl.decl.Name, args, out)
			}
		}
	})
}

package owners

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFor(t *testing.T) {
	codeowners := "* @acme/platform\n/internal/orders/ @jane @acme/payments ops@acme.io\n*.md @docs-bot\n"
	tests := []struct {
		name    string
		file    string // where CODEOWNERS lives; "" for none
		files   []string
		extra   []string
		exclude string
		want    Reviewers
		wantErr bool
	}{
		{name: "no CODEOWNERS", files: []string{"a.go"}, extra: []string{"@lead"}, want: Reviewers{Users: []string{"lead"}}},
		{name: "last matching rule wins", file: ".github/CODEOWNERS", files: []string{"internal/orders/handler.go"},
			want: Reviewers{Users: []string{"jane"}, Teams: []string{"payments"}}},
		{name: "several files, deduplicated", file: "CODEOWNERS", files: []string{"internal/orders/a.go", "internal/orders/b.go", "main.go"},
			want: Reviewers{Users: []string{"jane"}, Teams: []string{"payments", "platform"}}},
		{name: "the author is left out", file: "docs/CODEOWNERS", files: []string{"internal/orders/a.go"}, extra: []string{"jane", "bob"}, exclude: "Jane",
			want: Reviewers{Users: []string{"bob"}, Teams: []string{"payments"}}},
		{name: "malformed", file: ".github/CODEOWNERS", files: []string{"a.go"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.file != "" {
				body := codeowners
				if tt.wantErr {
					body = "[broken\n"
				}
				write(t, dir, tt.file, body)
			}
			got, err := For(dir, tt.files, tt.extra, tt.exclude)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); !tt.wantErr && diff != "" {
				t.Errorf("reviewers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestForIgnoresASymlinkedCODEOWNERS(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	write(t, outside, "CODEOWNERS", "* @stranger\n")
	if err := os.Symlink(filepath.Join(outside, "CODEOWNERS"), filepath.Join(dir, "CODEOWNERS")); err != nil {
		t.Fatal(err)
	}
	got, err := For(dir, []string{"a.go"}, nil, "")
	if err != nil || len(got.Users)+len(got.Teams) != 0 {
		t.Errorf("For = %+v, %v; want no owners from a link out of the checkout", got, err)
	}
}

package workspace

import (
	"strings"
	"testing"
)

func TestReadLines(t *testing.T) {
	root := shopRepo(t)
	writeTree(t, root, map[string]string{
		"five.txt": "1\n2\n3\n4\n5",
		"big.txt":  strings.Repeat("x\n", 1000),
		"wide.txt": strings.Repeat(strings.Repeat("y", 1023)+"\n", 100),
	})
	w, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		file      string
		from, to  int
		want      string
		wantLines int
		wantErr   string
	}{
		{name: "middle", file: "five.txt", from: 2, to: 3, want: "2\n3\n"},
		{name: "past the end is cut", file: "five.txt", from: 4, to: 99, want: "4\n5"},
		{name: "line cap", file: "big.txt", from: 1, to: 1000, wantLines: MaxReadLines},
		{name: "byte cap", file: "wide.txt", from: 1, to: 100, wantLines: MaxReadBytes / 1024},
		{name: "start past the end", file: "five.txt", from: 6, to: 7, wantErr: "five.txt"},
		{name: "bad range", file: "five.txt", from: 3, to: 2, wantErr: "five.txt"},
		{name: "missing file", file: "nope.go", from: 1, to: 2, wantErr: "nope.go"},
		{name: "outside", file: "../outside/secret.go", from: 1, to: 1, wantErr: "../outside/secret.go"},
		{name: "through symlink", file: "escape.go", from: 1, to: 1, wantErr: "escape.go"},
		{name: "git", file: ".git/config", from: 1, to: 1, wantErr: ".git/config"},
		{name: "directory", file: "internal", from: 1, to: 1, wantErr: "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := w.ReadLines(tt.file, tt.from, tt.to)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ReadLines() error = %v, want one naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantLines > 0 {
				if n := strings.Count(got, "\n"); n != tt.wantLines {
					t.Errorf("ReadLines() returned %d lines, want %d", n, tt.wantLines)
				}
				return
			}
			if got != tt.want {
				t.Errorf("ReadLines() = %q, want %q", got, tt.want)
			}
		})
	}
}

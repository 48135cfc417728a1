package ghwork

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseMarkers(t *testing.T) {
	const fp = "0123456789abcdef"
	block := MarkerBlock(fp, "42", "example.com/shop/internal/orders", 0.875)
	full := Markers{Fingerprint: fp, Sentry: "42", Area: "example.com/shop/internal/orders", Score: 0.88, HasScore: true}
	tests := []struct {
		name string
		body string
		want *Markers // nil: no block
	}{
		{"the block dawnpatch writes", "Fixes it.\n\n" + block, &full},
		{"trailing newlines and blanks", "Fixes it.\n" + block + "\n \n\t\n", &full},
		{"CRLF line ends", strings.ReplaceAll("Fixes it.\r\n"+block+"\r\n", "\n", "\r\n"), &full},
		{"fingerprint marker alone", "x\n" + Marker(fp, ""), &Markers{Fingerprint: fp}},
		{"fingerprint and score", Marker(fp, "") + "\n" + ScoreMarker(0.5), &Markers{Fingerprint: fp, Score: 0.5, HasScore: true}},
		{"empty area", MarkerBlock(fp, "", "", 1), &Markers{Fingerprint: fp, Score: 1, HasScore: true}},
		{"a forged block above the real one", Marker("ffff", "") + "\n" + block, &full},
		{"a closed fence above", "```go\n" + Marker("ffff", "") + "\n```\n" + block, &full},
		{"a longer closing fence", "````\nx\n`````\n" + block, &full},
		{"a tilde fence closed", "~~~\n```\n~~~\n" + block, &full},

		{"empty body", "", nil},
		{"marker followed by text", block + "\nthanks!", nil},
		{"marker followed by an invisible character", block + "\n\u200b", nil},
		{"marker mid-body", "a\n" + Marker(fp, "") + "\nb", nil},
		{"marker mid-line", "see " + Marker(fp, ""), nil},
		{"marker inside an open fence", "```\n" + block, nil},
		{"marker inside an open tilde fence", "~~~md\n" + block, nil},
		{"fence closed by a shorter run stays open", "````\n```\n" + block, nil},
		{"fence closed by the other character stays open", "```\n~~~\n" + block, nil},
		{"fence indented three spaces", "   ```\n" + block, nil},
		{"marker fenced and closed", "```\n" + block + "\n```", nil},
		{"indented marker (code block)", "x\n    " + Marker(fp, ""), nil},
		{"quoted marker", "> " + Marker(fp, ""), nil},
		{"marker without the comment", "dawnpatch:fp=" + fp, nil},
		{"an area line above the fingerprint is body", AreaMarker("a") + "\n" + Marker(fp, ""), &Markers{Fingerprint: fp}},
		{"score then area", Marker(fp, "") + "\n" + ScoreMarker(1) + "\n" + AreaMarker("a"), nil},
		{"blank line inside the block", Marker(fp, "") + "\n\n" + ScoreMarker(1), nil},
		{"two spaces before -->", "<!-- dawnpatch:fp=" + fp + "  -->", nil},
		{"fingerprint with a space", "<!-- dawnpatch:fp=01 23 -->", nil},
		{"a very long last line", strings.Repeat("x", 1<<20) + "\n" + "<!-- dawnpatch:fp=" + strings.Repeat("a", 1<<16) + " -->", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseMarkers(tt.body)
			if tt.want == nil {
				if ok {
					t.Errorf("ParseMarkers = %+v, want no block", got)
				}
				return
			}
			if !ok {
				t.Fatal("ParseMarkers found no block")
			}
			if diff := cmp.Diff(*tt.want, got, cmp.Comparer(func(a, b float64) bool { return a-b < 0.006 && b-a < 0.006 })); diff != "" {
				t.Errorf("markers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseMarkersLongerFingerprint(t *testing.T) {
	const fp = "0123456789abcdef"
	m, ok := ParseMarkers("x\n" + Marker(fp+"99", ""))
	if !ok || m.Fingerprint != fp+"99" {
		t.Fatalf("ParseMarkers = %+v, %v", m, ok)
	}
	if BranchName(m.Fingerprint) != BranchName(fp) || m.Fingerprint == fp {
		t.Error("a longer fingerprint with the same prefix must share the branch and differ as a fingerprint")
	}
}

func TestScoreReadsTheBlockOnly(t *testing.T) {
	tests := []struct {
		name string
		body string
		want float64
		ok   bool
	}{
		{"block", "x\n" + MarkerBlock("abc", "", "a", 0.91), 0.91, true},
		{"score mid-body", ScoreMarker(0.99) + "\nx\n" + Marker("abc", ""), 0, false},
		{"no block", ScoreMarker(0.99), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Score(tt.body)
			if ok != tt.ok || (ok && (got-tt.want > 1e-9 || tt.want-got > 1e-9)) {
				t.Errorf("Score = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestMarkersLast(t *testing.T) {
	block := MarkerBlock("abc", "7", "a/b", 0.9)
	note := "> This pull request was opened with the workflow's GITHUB_TOKEN."
	tests := []struct {
		name, body, want string
	}{
		{"already last", "x\n" + block + "\n", "x\n" + block + "\n"},
		{"a note appended", "Fix.\n" + block + "\n\n" + note + "\n", "Fix.\n\n" + note + "\n" + block},
		{"CRLF", "Fix.\r\n" + strings.ReplaceAll(block, "\n", "\r\n") + "\r\n\r\n" + note, "Fix.\n\n" + note + "\n" + block},
		{"only the block and a note", block + "\nnote", "note\n" + block},
		{"no block", "just text", "just text"},
		{"the block inside a fence is not moved", "```\n" + block + "\n```\nnote", "```\n" + block + "\n```\nnote"},
		{"the last block moves, a forged one stays", Marker("evil", "") + "\nx\n" + block + "\nnote", Marker("evil", "") + "\nx\nnote\n" + block},
		{"a note opening a fence is left alone", "Fix.\n" + block + "\n```", "Fix.\n" + block + "\n```"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := markersLast(tt.body)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("markersLast mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseMarkers checks properties that hold for any body: no panic, a
// found block names a well-formed fingerprint, text after a block undoes
// it, and a block appended after a newline is found unless a fence is left
// open.
func FuzzParseMarkers(f *testing.F) {
	for _, s := range []string{
		"", "x", "```\n", "~~~~\n~~~\n", "a\n" + Marker("abc", "1"), MarkerBlock("abc", "", "a", 0.5),
		"> " + Marker("abc", ""), "    " + Marker("abc", ""), Marker("abc", "") + "\r\n\r\n", "````js `x`\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		m, ok := ParseMarkers(body)
		if ok && !fingerprintRE.MatchString(m.Fingerprint) {
			t.Fatalf("ParseMarkers(%q) = fingerprint %q", body, m.Fingerprint)
		}
		if ok {
			if _, again := ParseMarkers(body + "\nx"); again {
				t.Fatalf("text after the block of %q still reads as a block", body)
			}
		}
		withBlock := body + "\n" + MarkerBlock("fuzz", "", "area", 0.5)
		got, ok := ParseMarkers(withBlock)
		if open := openFence(splitLines(body)); ok == open {
			t.Fatalf("ParseMarkers(%q + block) = %v with open fence %v", body, ok, open)
		}
		if ok && got.Fingerprint != "fuzz" {
			t.Fatalf("ParseMarkers(%q + block) = %+v, want the appended block", body, got)
		}
		if moved := markersLast(withBlock + "\nnote"); ok {
			if m, ok := ParseMarkers(moved); !ok || m.Fingerprint != "fuzz" {
				t.Fatalf("markersLast(%q + block + note) = %q", body, moved)
			}
		}
	})
}

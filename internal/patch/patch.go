package patch

import "fmt"

// Edit replaces the only occurrence of Old in File by New. An empty Old
// creates File, which must not exist yet, with New as its content.
type Edit struct {
	File string `json:"file"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// Patch is an ordered list of edits. Edits to the same file apply in order,
// each to the content the previous ones left.
type Patch struct {
	Edits []Edit `json:"edits"`
}

// Error is a patch that cannot be applied, naming the edit at fault. Index
// is -1 when the fault is in the patch as a whole.
type Error struct {
	Index  int
	File   string
	Reason string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Index < 0 {
		return "patch: " + e.Reason
	}
	return fmt.Sprintf("edit %d (%s): %s", e.Index, e.File, e.Reason)
}

// Split separates the edits to test files from the others, keeping order.
func (p Patch) Split(isTest func(path string) bool) (tests, fix Patch) {
	for _, e := range p.Edits {
		if isTest(e.File) {
			tests.Edits = append(tests.Edits, e)
		} else {
			fix.Edits = append(fix.Edits, e)
		}
	}
	return tests, fix
}

// Files returns the files the patch edits, in order of first appearance.
func (p Patch) Files() []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range p.Edits {
		if !seen[e.File] {
			seen[e.File] = true
			out = append(out, e.File)
		}
	}
	return out
}

// Package patch holds the changes a model proposes as data. A Patch is a
// list of exact-text edits; it is validated against the checkout (paths
// confined to it, protected paths refused, every old text found exactly
// once, no overlaps, size caps) before anything is written, and applied one
// file at a time, atomically.
package patch

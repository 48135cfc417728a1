package testimage

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// EnsureAll ensures each of kinds in order and writes a table to w: per
// image its kind, tag, size, whether it was built or reused, and the time
// it took, then the total time.
func EnsureAll(ctx context.Context, b *Builder, kinds []Kind, w io.Writer) error {
	start := time.Now()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tTAG\tSIZE\tSTATE\tTIME")
	defer tw.Flush()
	for _, k := range kinds {
		img, err := b.Image(ctx, k)
		if err != nil {
			return err
		}
		state := "reused"
		if img.Built {
			state = "built"
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1f MB\t%s\t%.1fs\n", k, img.Tag, float64(img.Size)/1e6, state, img.Took.Seconds())
	}
	fmt.Fprintf(tw, "total\t\t\t\t%.1fs\n", time.Since(start).Seconds())
	return nil
}

// Main is the testimages command: it ensures the kinds named in args (all
// by default, in dependency order) and prints EnsureAll's table to stdout.
// With -v the builds' output goes to stderr. It returns the exit code: 0,
// 1 when an image could not be had, 2 for usage errors.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testimages", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "write the builds' output to stderr")
	timeout := fs.Duration("timeout", 20*time.Minute, "give up after this long")
	prune := fs.Bool("prune", false, "first remove test images of other recipes or inputs than the current ones")
	tags := fs.Bool("tags", false, "build the language images and print one LANG=IMAGE line each for go, python and javascript (for dawnpatch eval --image)")
	action := fs.String("action", "", "build the action's own image from the Dockerfile of this repository `root` (with the local stand-ins for its base images) and print its tag")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: testimages [-v] [-prune] [-timeout d] [-tags | -action root | kind...]\nkinds: %v\n", Kinds())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	kinds := Kinds()
	if fs.NArg() > 0 {
		kinds = kinds[:0:0]
		for _, a := range fs.Args() {
			k, err := ParseKind(a)
			if err != nil {
				fmt.Fprintln(stderr, "testimages:", err)
				return 2
			}
			kinds = append(kinds, k)
		}
	}
	opts := Options{}
	if *verbose {
		opts.Log = stderr
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if *action != "" {
		if err := printAction(ctx, opts, *action, stdout); err != nil {
			fmt.Fprintln(stderr, "testimages:", err)
			return 1
		}
		return 0
	}
	if *tags {
		if err := printTags(ctx, opts, stdout); err != nil {
			fmt.Fprintln(stderr, "testimages:", err)
			return 1
		}
		return 0
	}
	if err := ensureMain(ctx, opts, kinds, *prune, stdout); err != nil {
		fmt.Fprintln(stderr, "testimages:", err)
		return 1
	}
	return 0
}

func ensureMain(ctx context.Context, opts Options, kinds []Kind, prune bool, stdout io.Writer) error {
	b, err := New(opts)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.Available(ctx); err != nil {
		return err
	}
	if prune {
		removed, err := b.Prune(ctx)
		for _, t := range removed {
			fmt.Fprintln(stdout, "removed", t)
		}
		if err != nil {
			return err
		}
	}
	return EnsureAll(ctx, b, kinds, stdout)
}

// languageKinds are the images the tests of each language run in.
var languageKinds = []struct {
	lang string
	kind Kind
}{{"go", Go}, {"python", Python}, {"javascript", Node}}

// printTags builds (or finds) the language images and prints LANG=IMAGE
// lines; the build's report goes nowhere, so stdout holds only the lines.
func printTags(ctx context.Context, opts Options, stdout io.Writer) error {
	b, err := New(opts)
	if err != nil {
		return err
	}
	defer b.Close()
	for _, l := range languageKinds {
		tag, err := b.Ensure(ctx, l.kind)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s=%s\n", l.lang, tag)
	}
	return nil
}

// printAction builds (or finds) the action's image from root and prints
// its tag.
func printAction(ctx context.Context, opts Options, root string, stdout io.Writer) error {
	b, err := New(opts)
	if err != nil {
		return err
	}
	defer b.Close()
	tag, err := b.Action(ctx, root)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, tag)
	return err
}

package testimage

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"
)

// tarTree writes the tree under src to a tar stream.
type tarTree struct {
	// src is the directory or file on this machine.
	src string
	// name is where src lands in the archive; empty means the archive's
	// root (a rootfs).
	name string
	// keepOwner keeps the files' uid and gid; false makes them 0:0.
	keepOwner bool
	// skip, when set, leaves out the entry at rel (slash-separated,
	// relative to src) and, for a directory, all below it.
	skip func(rel string) bool
}

// devIno identifies a file for hard-link detection.
type devIno struct{ dev, ino uint64 }

// writeTrees writes each tree to tw: directories, regular files, symbolic
// links (as links), hard links (the first path as a file, the others as
// links to it), with their modes, times and, where asked, owners. FIFOs
// are kept; sockets and device nodes are left out (the engine makes /dev).
// A top-level src that is a symbolic link is followed.
func writeTrees(tw *tar.Writer, trees []tarTree) error {
	seen := map[devIno]string{}
	for _, t := range trees {
		if err := writeTree(tw, t, seen); err != nil {
			return fmt.Errorf("archive %s: %w", t.src, err)
		}
	}
	return nil
}

func writeTree(tw *tar.Writer, t tarTree, seen map[devIno]string) error {
	root, err := filepath.EvalSymlinks(t.src)
	if err != nil {
		return err
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel != "." && t.skip != nil && t.skip(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		name := path.Join(t.name, rel)
		if name == "." || name == "" {
			return nil // the archive's root needs no entry
		}
		return writeEntry(tw, p, name, t.keepOwner, seen)
	})
}

// writeEntry writes the file at p as name.
func writeEntry(tw *tar.Writer, p, name string, keepOwner bool, seen map[devIno]string) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	mode := fi.Mode()
	if mode&(fs.ModeSocket|fs.ModeDevice|fs.ModeCharDevice|fs.ModeIrregular) != 0 {
		return nil
	}
	var link string
	if mode&fs.ModeSymlink != 0 {
		if link, err = os.Readlink(p); err != nil {
			return err
		}
	}
	hdr, err := tar.FileInfoHeader(fi, link)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	hdr.Name, hdr.Uname, hdr.Gname = name, "", ""
	if fi.IsDir() {
		hdr.Name += "/"
	}
	if !keepOwner {
		hdr.Uid, hdr.Gid = 0, 0
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && mode.IsRegular() && st.Nlink > 1 {
		id := devIno{uint64(st.Dev), st.Ino}
		if first, ok := seen[id]; ok {
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
			return tw.WriteHeader(hdr)
		}
		seen[id] = name
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	if !mode.IsRegular() {
		return nil
	}
	return copyFile(tw, p)
}

func copyFile(w io.Writer, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// addFile writes data as a regular file name with mode to tw.
func addFile(tw *tar.Writer, name string, mode int64, data []byte) error {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data))}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("archive %s: %w", name, err)
	}
	if _, err := tw.Write(data); err != nil {
		return fmt.Errorf("archive %s: %w", name, err)
	}
	return nil
}

// tarStream runs write on a tar.Writer in a goroutine and returns the
// stream's reading end. A write error reaches the reader; closing the
// reader stops the writer.
func tarStream(write func(*tar.Writer) error) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := write(tw)
		if cerr := tw.Close(); err == nil {
			err = cerr
		}
		pw.CloseWithError(err)
	}()
	return pr
}

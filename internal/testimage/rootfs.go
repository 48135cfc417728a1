package testimage

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// slimFiles are written into the rootfs so that later apt-get installs in
// derived images stay as small as the rootfs: the settings Debian's own
// slim images carry.
var slimFiles = map[string]string{
	"etc/dpkg/dpkg.cfg.d/docker-slim": `# Test images: no documentation, manual pages or translations.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
`,
	"etc/apt/apt.conf.d/docker-clean": `DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
`,
	"etc/apt/apt.conf.d/docker-no-languages": "Acquire::Languages \"none\";\n",
}

// speedupFile makes dpkg skip its fsync calls, in debootstrap (about a
// fifth faster here) and in derived images' apt-get installs: a test image
// that a crash leaves half-written is simply built again. Debian's own
// Docker images used to carry the same file.
const speedupFile = "etc/dpkg/dpkg.cfg.d/docker-apt-speedup"

// seedRootfs prepares the empty dir for debootstrap: dpkg reads
// speedupFile from the target once debootstrap has installed it there.
func seedRootfs(dir string) error {
	p := filepath.Join(dir, speedupFile)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("seed rootfs: %w", err)
	}
	if err := os.WriteFile(p, []byte("force-unsafe-io\n"), 0o644); err != nil {
		return fmt.Errorf("seed rootfs: %w", err)
	}
	return nil
}

// slimDirs are emptied in the rootfs (the directories stay).
var slimDirs = []string{
	"var/lib/apt/lists", "var/cache/apt", "usr/share/man", "usr/share/info",
	"usr/share/locale", "usr/share/lintian", "usr/share/groff",
}

// debootstrap makes a bookworm minbase rootfs with slimPackages in dir.
func debootstrap(ctx context.Context, dir, mirror string, out io.Writer) error {
	bin, err := exec.LookPath("debootstrap")
	if err != nil {
		return fmt.Errorf("debootstrap: %w (install it: apt-get install debootstrap)", err)
	}
	cmd := exec.CommandContext(ctx, bin, "--variant="+variant,
		"--include="+strings.Join(slimPackages, ","), "--components=main", suite, dir, mirror)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("debootstrap %s %s: %w", suite, mirror, err)
	}
	return nil
}

// slimRootfs removes documentation, manual pages, translations, apt
// lists, caches and logs from the rootfs at dir, and writes slimFiles.
func slimRootfs(dir string) error {
	for _, d := range slimDirs {
		if err := emptyDir(filepath.Join(dir, d)); err != nil {
			return fmt.Errorf("slim rootfs: %w", err)
		}
	}
	if err := removeDocs(filepath.Join(dir, "usr/share/doc")); err != nil {
		return fmt.Errorf("slim rootfs: %w", err)
	}
	if err := removeFiles(filepath.Join(dir, "var/log")); err != nil {
		return fmt.Errorf("slim rootfs: %w", err)
	}
	old, _ := filepath.Glob(filepath.Join(dir, "var/cache/debconf/*-old"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return fmt.Errorf("slim rootfs: %w", err)
		}
	}
	for name, text := range slimFiles {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("slim rootfs: %w", err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return fmt.Errorf("slim rootfs: %w", err)
		}
	}
	return os.MkdirAll(filepath.Join(dir, "var/lib/apt/lists/partial"), 0o755)
}

// emptyDir removes everything in dir, keeping dir; a missing dir is fine.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// removeDocs empties each package's directory under doc but for its
// copyright file.
func removeDocs(doc string) error {
	return filepath.WalkDir(doc, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		if filepath.Base(p) == "copyright" && filepath.Dir(filepath.Dir(p)) == doc {
			return nil
		}
		return os.Remove(p)
	})
}

// removeFiles removes the files under dir, keeping directories.
func removeFiles(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		return os.Remove(p)
	})
}

// rootfsSkip leaves the contents of the kernel's and the engine's
// directories out of the image.
func rootfsSkip(rel string) bool {
	for _, d := range []string{"dev/", "proc/", "sys/"} {
		if strings.HasPrefix(rel, d) {
			return true
		}
	}
	return false
}

// removeRootfs unmounts what debootstrap may have left mounted under dir
// (it mounts /proc and /sys while it works, and a failed run can leave
// them) and then removes dir.
func removeRootfs(dir string) error {
	mounts, err := mountsUnder(dir)
	if err != nil {
		return fmt.Errorf("remove rootfs: %w", err)
	}
	for i := len(mounts) - 1; i >= 0; i-- {
		if err := syscall.Unmount(mounts[i], syscall.MNT_DETACH); err != nil {
			return fmt.Errorf("remove rootfs: unmount %s: %w", mounts[i], err)
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove rootfs: %w", err)
	}
	return nil
}

// mountsUnder lists the mount points at or below dir, in mount order.
func mountsUnder(dir string) ([]string, error) {
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		mp := unescapeMount(fields[1])
		if mp == dir || strings.HasPrefix(mp, dir+"/") {
			out = append(out, mp)
		}
	}
	return out, sc.Err()
}

// unescapeMount undoes /proc/self/mounts' octal escapes (\040 for space).
func unescapeMount(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1:i+4]) {
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOctal(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '7' {
			return false
		}
	}
	return len(s) == 3
}

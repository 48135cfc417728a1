package mirror

import (
	"os"
	"path/filepath"
	"testing"
)

// writeConfig writes the secret files of a deployment into a new directory.
func writeConfig(t *testing.T, source, dest string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{"source-url": source, "dest-url": dest} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadConfig(t *testing.T) {
	dir := writeConfig(t, "https://x-access-token:test@github.com/acme/app.git", "s3://key:secret@backups.example/app")
	c, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := MustNew(c)
	if m.Source.Host != "github.com" || m.Dest.Host != "backups.example" {
		t.Errorf("mirror %v to %v, want github.com to backups.example", m.Source, m.Dest)
	}
}

func TestNewWrongScheme(t *testing.T) {
	if _, err := New(Config{Source: "ftp://github.com/acme/app", Dest: "s3://b/app"}); err == nil {
		t.Error("New accepted an ftp source")
	}
}

// Package mirror copies the source repository to the backup bucket every
// night.
package mirror

import (
	"fmt"
	"os"
	"path/filepath"
)

// Config names the two ends of the mirror. Both URLs carry credentials.
type Config struct {
	// Source is the repository's clone URL.
	Source string
	// Dest is the bucket's URL.
	Dest string
}

// LoadConfig reads the configuration from dir, where the deployment mounts
// one file per secret: source-url and dest-url.
func LoadConfig(dir string) (Config, error) {
	var c Config
	for name, into := range map[string]*string{"source-url": &c.Source, "dest-url": &c.Dest} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return Config{}, fmt.Errorf("mirror: read %s: %w", name, err)
		}
		*into = string(b)
	}
	return c, nil
}

package mirror

import (
	"errors"
	"fmt"
	"net/url"
)

// Mirror copies a repository to a bucket.
type Mirror struct {
	Source, Dest *url.URL
}

// New checks cfg and returns its mirror.
func New(cfg Config) (*Mirror, error) {
	src, err1 := url.Parse(cfg.Source)
	dst, err2 := url.Parse(cfg.Dest)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("mirror: invalid config: %w", err)
	}
	if src.Scheme != "https" || dst.Scheme != "s3" {
		return nil, fmt.Errorf("mirror: want an https source and an s3 destination, got %s and %s", src.Scheme, dst.Scheme)
	}
	return &Mirror{Source: src, Dest: dst}, nil
}

// MustNew is New for the mirror's main: a configuration that does not
// parse stops the program.
func MustNew(cfg Config) *Mirror {
	m, err := New(cfg)
	if err != nil {
		panic(err)
	}
	return m
}

package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/relay"
)

// maxRelayConfig caps the relay's YAML config file.
const maxRelayConfig = 1 << 20

// runRelay is `dawnpatch relay --listen ADDR --repo OWNER/NAME
// [--github-api-url URL] [--config FILE]`: the Sentry webhook endpoint.
// Secrets come from the environment only.
func runRelay(ctx context.Context, env Env, args []string) error {
	fs := flags("relay")
	listen := fs.String("listen", "", `address to listen on (default ":$PORT", else ":8080")`)
	repo := fs.String("repo", "", "repository OWNER/NAME that dispatches go to (required)")
	apiURL := fs.String("github-api-url", "https://api.github.com", "GitHub REST API URL")
	cfgFile := fs.String("config", "", "optional YAML file: project mapping, window, forward_resolved")
	if err := parseFlags(fs, env.Stdout, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("relay takes no arguments, got %q", fs.Arg(0))
	}
	if *repo == "" {
		return usagef("relay: --repo OWNER/NAME is required")
	}
	if err := relay.ValidateRepo(*repo); err != nil {
		return usagef("relay: --repo: %v", err)
	}
	secret, token, err := relaySecrets(env.Getenv)
	if err != nil {
		return err
	}
	cfg, err := loadRelayConfig(*cfgFile)
	if err != nil {
		return err
	}
	gh, err := relay.NewGitHub(env.HTTPClient, *apiURL, token, relay.RetryPolicy{})
	if err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(env.Stderr, nil)).With("component", "relay")
	h, err := relay.NewHandler(relay.Options{Secret: []byte(secret), Repo: *repo, Config: cfg, Dispatcher: gh, Logger: logger})
	if err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	return serveRelay(ctx, logger, h, listenAddr(*listen, env.Getenv), *repo, len(cfg.Projects))
}

// relaySecrets reads the two secrets, naming the one that is missing.
func relaySecrets(getenv func(string) string) (secret, token string, err error) {
	for _, v := range []struct {
		name, what string
		dst        *string
	}{
		{"SENTRY_CLIENT_SECRET", "the Sentry integration's client secret", &secret},
		{"GITHUB_TOKEN", "a token that may create repository dispatches", &token},
	} {
		*v.dst = strings.TrimSpace(getenv(v.name))
		if *v.dst == "" {
			return "", "", fmt.Errorf("relay: %s is not set: put %s in the environment", v.name, v.what)
		}
	}
	return secret, token, nil
}

// loadRelayConfig reads the YAML config, or returns the defaults for "".
func loadRelayConfig(path string) (relay.Config, error) {
	if path == "" {
		return relay.DefaultConfig(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return relay.Config{}, fmt.Errorf("relay: open config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRelayConfig+1))
	if err != nil {
		return relay.Config{}, fmt.Errorf("relay: read config %s: %w", path, err)
	}
	if len(data) > maxRelayConfig {
		return relay.Config{}, fmt.Errorf("relay: config %s is over %d bytes", path, maxRelayConfig)
	}
	cfg, err := relay.ParseConfig(data)
	if err != nil {
		return relay.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// listenAddr is --listen, else ":$PORT" (Cloud Run and friends), else ":8080".
func listenAddr(flag string, getenv func(string) string) string {
	switch {
	case flag != "":
		return flag
	case getenv("PORT") != "":
		return ":" + getenv("PORT")
	}
	return ":8080"
}

// serveRelay listens and serves until ctx is cancelled (SIGTERM).
func serveRelay(ctx context.Context, logger *slog.Logger, h *relay.Handler, addr, repo string, projects int) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("relay: listen: %w", err)
	}
	logger.Info("relay listening", "addr", ln.Addr().String(), "repo", repo, "mapped_projects", projects)
	if err := relay.Serve(ctx, relay.NewServer(h, logger), ln); err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	logger.Info("relay stopped")
	return nil
}

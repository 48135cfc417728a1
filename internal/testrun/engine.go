package testrun

import (
	"context"
	"fmt"
	"strings"

	"github.com/moby/moby/client"
)

// Dial connects to the Docker engine at host (DOCKER_HOST's form, e.g.
// unix:///var/run/docker.sock; empty means the default socket), and checks
// that it answers; the client agrees on an API version with the engine on
// that first request (negotiation is the client's default).
func Dial(ctx context.Context, host string) (*client.Client, error) {
	if host == "" {
		host = client.DefaultDockerHost
	}
	cli, err := client.New(client.WithHost(host))
	if err != nil {
		return nil, fmt.Errorf("docker engine at %s: %w", host, err)
	}
	if _, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		cli.Close()
		return nil, fmt.Errorf("docker engine at %s does not answer: %w", host, err)
	}
	return cli, nil
}

// passedEnv are the variables of the action's environment setup commands get:
// where packages come from (a private index or registry, a module proxy, an
// HTTP proxy). Tokens are not among them.
var passedEnv = []string{
	"GOPROXY", "GONOSUMDB", "GONOSUMCHECK", "GOPRIVATE", "GOSUMDB", "GOFLAGS", "GOINSECURE",
	"PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST", "PIP_FIND_LINKS",
	"NPM_CONFIG_REGISTRY", "npm_config_registry", "YARN_NPM_REGISTRY_SERVER", "YARN_REGISTRY",
	"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
}

// PassEnv picks the variables setup commands get from the action's
// environment.
func PassEnv(getenv func(string) string) []string {
	var out []string
	for _, k := range passedEnv {
		if v := getenv(k); v != "" && !strings.ContainsAny(v, "\n\x00") {
			out = append(out, k+"="+v)
		}
	}
	return out
}

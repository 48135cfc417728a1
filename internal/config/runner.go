package config

import (
	"fmt"
	"strings"
)

// Runner is the context a GitHub runner gives a step through its
// environment variables.
type Runner struct {
	// Actions is true under GitHub Actions (GITHUB_ACTIONS=true).
	Actions bool
	// APIURL is the REST API base (GITHUB_API_URL): api.github.com, a GitHub
	// Enterprise Server's /api/v3, or a test's fake.
	APIURL string
	// ServerURL is the web base (GITHUB_SERVER_URL).
	ServerURL string
	// Repository is owner/name (GITHUB_REPOSITORY).
	Repository string
	// Workspace is the checkout (GITHUB_WORKSPACE); "." outside Actions.
	Workspace string
	// EventName is the triggering event (GITHUB_EVENT_NAME).
	EventName string
	// EventPath is the file holding the event payload (GITHUB_EVENT_PATH).
	EventPath string
	// SHA is the commit the run is for (GITHUB_SHA).
	SHA string
	// RunURL links to this workflow run, when the runner says which.
	RunURL string
}

// ReadRunner reads the runner's context variables through getenv.
func ReadRunner(getenv func(string) string) (Runner, error) {
	r := Runner{
		Actions:    getenv("GITHUB_ACTIONS") == "true",
		APIURL:     strings.TrimRight(orDefault(getenv("GITHUB_API_URL"), "https://api.github.com"), "/"),
		ServerURL:  strings.TrimRight(orDefault(getenv("GITHUB_SERVER_URL"), "https://github.com"), "/"),
		Repository: getenv("GITHUB_REPOSITORY"),
		Workspace:  orDefault(getenv("GITHUB_WORKSPACE"), "."),
		EventName:  getenv("GITHUB_EVENT_NAME"),
		EventPath:  getenv("GITHUB_EVENT_PATH"),
		SHA:        getenv("GITHUB_SHA"),
	}
	if id := getenv("GITHUB_RUN_ID"); id != "" && r.Repository != "" {
		r.RunURL = fmt.Sprintf("%s/%s/actions/runs/%s", r.ServerURL, r.Repository, id)
	}
	if r.Repository != "" {
		owner, name, ok := strings.Cut(r.Repository, "/")
		if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
			return Runner{}, &Error{Env: true, Field: "GITHUB_REPOSITORY", Err: fmt.Errorf("want owner/name, got %q", r.Repository)}
		}
	}
	return r, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

package config

// Polls reports whether the run polls Sentry rather than working on one
// incident: a schedule, or a workflow_dispatch without the incident input.
func (c *Config) Polls() bool {
	ev := c.Runner.EventName
	return c.Inputs.Incident == "" && (ev == "schedule" || ev == "workflow_dispatch")
}

// CheckPoll checks the inputs a poll of Sentry needs: sentry-token and
// sentry-org to list the issues, and sentry-projects (see
// [CheckPollProjects]). The error names the first input missing.
func CheckPoll(in Inputs) error {
	switch {
	case in.SentryToken == "":
		return inputErr("sentry-token", "is empty; a scheduled run lists its issues from Sentry: "+
			"set it to a Sentry auth token with event:read, e.g. sentry-token: ${{ secrets.DAWNPATCH_SENTRY_TOKEN }}")
	case in.SentryOrg == "":
		return inputErr("sentry-org", "is empty; a scheduled run lists its issues from Sentry: set it to your organization's slug")
	}
	return CheckPollProjects(in.SentryProjects)
}

// CheckPollProjects refuses a poll that names no Sentry project: Sentry
// then lists every project the token can see, and a scheduled run for one
// repository would consider, and could work on, another's errors. The
// project id -1 asks for every project on purpose.
func CheckPollProjects(projects []string) error {
	if len(projects) > 0 {
		return nil
	}
	return inputErr("sentry-projects", "is empty; a scheduled run (schedule, or workflow_dispatch without an incident) "+
		"polls only the Sentry projects it names, or it would consider every project the token can see: "+
		"list this repository's project slugs, e.g. sentry-projects: web, api (or -1 for every project, on purpose)")
}

package pipeline

import (
	"time"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// Result is everything a run found out, for the report.
type Result struct {
	Outcome  Outcome
	Incident *incident.Incident
	// Stages lists the stages that ran, in order, with their times.
	Stages []StageTime
	Usage  Usage
	// PR is the pull request opened or updated, or the one that made this
	// run a duplicate.
	PR *PullRequest
	// Tests says where the tests ran and how setup went, once prepared.
	Tests *TestEnvironment
	// Fix holds the proposed change and its evidence once a fix was made.
	Fix *FixReport
	// Notes are remarks for the human reading the summary.
	Notes []string
	// Poll is the scheduled run this result sums up, when it was one.
	Poll *PollResult
}

// StageTime is how long one stage took.
type StageTime struct {
	Name     string
	Duration time.Duration
}

// Usage counts what a run spent.
type Usage struct {
	ModelCalls  int
	Tokens      int
	CostUSD     float64
	GitHubCalls int
	SentryCalls int
	TestTime    time.Duration
	// SetupTime is the time setup took (installing dependencies).
	SetupTime time.Duration
}

// TestEnvironment is where and how a run's tests ran.
type TestEnvironment struct {
	// Runner says where and as whom, e.g. "a throwaway container of
	// golang:1.24 per run, as uid 65534, without network".
	Runner string
	// Image and ImageReason name the container image and why it was
	// chosen; empty for in-process runs.
	Image, ImageReason string
	// Pull is how long pulling the image took.
	Pull time.Duration
	// Setup are the setup commands' runs.
	Setup []Check
	// SetupFailed says why setup failed, "" when it did not.
	SetupFailed string
}

// PullRequest identifies a pull request.
type PullRequest struct {
	Number int
	URL    string
	Branch string
}

// Check is one named piece of evidence: a test run, with its command and
// (tail-capped) output.
type Check struct {
	Name     string
	Command  string
	Passed   bool
	Output   string
	Duration time.Duration
}

// Score is one criterion of the judge's verdict.
type Score struct {
	Criterion string
	Score     float64
	Reason    string
}

// FixReport is the proposed change with its evidence.
type FixReport struct {
	Title         string
	RootCause     string
	WhyNotSymptom string
	CauseFrame    string
	CrashFrame    string
	Evidence      []string
	Diff          string
	TestName      string
	Checks        []Check
	Suite         string
	// Findings are the deterministic guards' findings, "file:line: rule: message".
	Findings     []string
	Scores       []Score
	JudgeTotal   float64
	JudgeSummary string
}

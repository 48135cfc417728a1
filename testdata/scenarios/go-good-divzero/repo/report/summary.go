package report

import "time"

// Run is one finished pipeline run.
type Run struct {
	Pipeline string
	Passed   bool
	Duration time.Duration
}

// Summary is a pipeline's health over the dashboard's window. A pipeline
// with no runs in the window has Runs == 0 and zero rates; the dashboard
// shows it as "no data".
type Summary struct {
	Pipeline    string
	Runs        int
	PassRate    int // percent of runs that passed
	MeanSeconds int // mean run duration
}

// Summarize returns the summary of pipeline's runs among runs.
func Summarize(pipeline string, runs []Run) Summary {
	s := Summary{Pipeline: pipeline}
	passed, total := 0, time.Duration(0)
	for _, r := range runs {
		if r.Pipeline != pipeline {
			continue
		}
		s.Runs++
		total += r.Duration
		if r.Passed {
			passed++
		}
	}
	s.PassRate = percent(passed, s.Runs)
	s.MeanSeconds = int(total.Seconds()) / s.Runs
	return s
}

// Dashboard returns the summary of each pipeline, in the order given.
func Dashboard(pipelines []string, runs []Run) []Summary {
	out := make([]Summary, 0, len(pipelines))
	for _, p := range pipelines {
		out = append(out, Summarize(p, runs))
	}
	return out
}

package testrun

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// reaper makes this process a child subreaper, so that a process a test
// leaves behind (a setsid daemon whose parent exited) becomes this
// process's child instead of init's, where it can be found and killed.
var reaper struct {
	once sync.Once
	err  error
	mu   sync.Mutex
	// live holds the process groups of the commands running now.
	live map[int]bool
	// starting is held (shared) while a command starts and until its group
	// is in live, and (exclusive) while orphans are looked for: a command
	// just started is never taken for an orphan.
	starting sync.RWMutex
}

// prSetChildSubreaper is prctl's PR_SET_CHILD_SUBREAPER.
const prSetChildSubreaper = 36

// becomeSubreaper marks this process a child subreaper, once.
func becomeSubreaper() error {
	reaper.once.Do(func() {
		if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); e != 0 {
			reaper.err = e
		}
	})
	return reaper.err
}

// starting marks a command start: call the returned func once its group
// is registered with started.
func startingCommand() func() {
	reaper.starting.RLock()
	return reaper.starting.RUnlock
}

// started and finished keep the set of live commands' process groups.
func started(pgid int) {
	reaper.mu.Lock()
	defer reaper.mu.Unlock()
	if reaper.live == nil {
		reaper.live = map[int]bool{}
	}
	reaper.live[pgid] = true
}

func finished(pgid int) {
	reaper.mu.Lock()
	defer reaper.mu.Unlock()
	delete(reaper.live, pgid)
}

// killOrphans kills and reaps the processes tests left behind: children
// of this process that left its session, or sit in a process group that
// is neither this process's nor a live command's. dawnpatch starts its own
// helpers (git) in its own group and session, so they are never taken for
// orphans. It loops until none is left, since a killed orphan's children
// become orphans in turn.
func killOrphans() {
	reaper.starting.Lock()
	defer reaper.starting.Unlock()
	self := os.Getpid()
	me, ok := readStat(self)
	if !ok {
		return
	}
	sid, pgid := me.sid, me.pgid
	for range 100 {
		found := false
		for _, p := range children(self) {
			reaper.mu.Lock()
			live := reaper.live[p.pgid]
			reaper.mu.Unlock()
			if p.sid == sid && (p.pgid == pgid || live) {
				continue
			}
			found = true
			_ = syscall.Kill(p.pid, syscall.SIGKILL)
			var ws syscall.WaitStatus
			_, _ = syscall.Wait4(p.pid, &ws, 0, nil)
		}
		if !found {
			return
		}
		time.Sleep(5 * time.Millisecond) // let the killed ones' children be reparented
	}
}

// proc is a process as /proc/<pid>/stat tells it.
type proc struct{ pid, ppid, pgid, sid int }

// children lists the processes whose parent is parent.
func children(parent int) []proc {
	entries, _ := os.ReadDir("/proc")
	var out []proc
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		p, ok := readStat(pid)
		if ok && p.ppid == parent {
			out = append(out, p)
		}
	}
	return out
}

// readStat parses /proc/<pid>/stat: the command name is in parentheses and
// may hold spaces, so the fields are counted from the last ')'.
func readStat(pid int) (proc, bool) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return proc{}, false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return proc{}, false
	}
	f := strings.Fields(s[i+1:]) // state ppid pgrp session ...
	if len(f) < 4 {
		return proc{}, false
	}
	p := proc{pid: pid}
	var e1, e2, e3 error
	p.ppid, e1 = strconv.Atoi(f[1])
	p.pgid, e2 = strconv.Atoi(f[2])
	p.sid, e3 = strconv.Atoi(f[3])
	return p, e1 == nil && e2 == nil && e3 == nil
}

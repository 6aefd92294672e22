package loadtest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RSS is the resident memory of a process around a run, in KiB, from /proc/PID/status: before the
// run, the peak of the samples taken during it, and after it.
type RSS struct {
	Before, Peak, After int64
}

// ReadRSS returns VmRSS of process pid in KiB (Linux only).
func ReadRSS(pid int) (int64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmRSS", pid)
}

// WatchRSS samples the resident memory of pid every interval until stop is called, which returns
// what it saw; the sample at stop is After.
func WatchRSS(pid int, interval time.Duration) (stop func() RSS, err error) {
	before, err := ReadRSS(pid)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	out := RSS{Before: before, Peak: before}
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if v, err := ReadRSS(pid); err == nil {
					mu.Lock()
					out.Peak = max(out.Peak, v)
					mu.Unlock()
				}
			}
		}
	})
	return func() RSS {
		cancel()
		wg.Wait()
		if v, err := ReadRSS(pid); err == nil {
			out.After = v
			out.Peak = max(out.Peak, v)
		}
		return out
	}, nil
}

package cli

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"opsdesk/internal/loadtest"
)

func (e *env) benchHTTPCmd() *cobra.Command {
	var cfg loadtest.HTTPConfig
	var mix, pageIDs string
	var pid int
	c := &cobra.Command{
		Use:   "http --url http://127.0.0.1:8080 --token odk_… [--clients 8] [--duration 30s] [--mix create,list,search,get]",
		Short: "Drive the ticket API with concurrent clients for a while and report throughput and latency",
		Long: `Runs --clients keep-alive clients against the JSON API for --duration and prints, per operation, the
requests, throughput, errors and the 50th/95th/99th latency percentiles. Operations: create (POST
/api/v1/tickets), queue (a group's open tickets by priority, 50, the group drawn from --groups or all
groups), search (q=打印 and other two-character words, with --search-status and --search-sort), page (the
ticket page of the ids in --page-ids: bench seed --long-share 0.01 --long-ids FILE), list (status=new),
get (by an id seen in earlier answers).
--mix takes operation names, each with an optional weight: create=1,list=4,search=2,get=4.
With --pid, the resident memory (VmRSS) of that server process is printed before, at its peak during
and after the run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Clients <= 0 || cfg.Duration <= 0 {
				return usageError{fmt.Errorf("--clients and --duration must be positive")}
			}
			if cfg.Token == "" {
				return usageError{fmt.Errorf("--token is required (opsdesk token create --user U)")}
			}
			var err error
			if cfg.Mix, err = loadtest.ParseMix(mix); err != nil {
				return usageError{err}
			}
			if pageIDs != "" {
				if cfg.PageIDs, err = readIDs(pageIDs); err != nil {
					return usageError{err}
				}
			}
			var stopRSS func() loadtest.RSS
			if pid != 0 {
				if stopRSS, err = loadtest.WatchRSS(pid, 100*time.Millisecond); err != nil {
					return usageError{fmt.Errorf("--pid: %w", err)}
				}
			}
			fmt.Fprintf(e.stderr, "driving %s with %d clients for %s …\n", cfg.URL, cfg.Clients, cfg.Duration)
			rep, err := loadtest.RunHTTP(cmd.Context(), cfg)
			var rss loadtest.RSS
			if stopRSS != nil {
				rss = stopRSS()
			}
			if err != nil {
				return usageError{err}
			}
			e.printHTTPReport(rep)
			if pid != 0 {
				mb := func(kib int64) float64 { return float64(kib) / 1024 }
				fmt.Fprintf(e.stdout, "server RSS (pid %d): before %.1f MiB, peak %.1f MiB, after %.1f MiB\n", pid,
					mb(rss.Before), mb(rss.Peak), mb(rss.After))
			}
			for _, r := range rep.Results {
				if r.Errors > 0 {
					return fmt.Errorf("%d %s requests failed, first: %s", r.Errors, r.Op, r.FirstErr)
				}
			}
			return nil
		},
	}
	c.Flags().StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "base URL of the opsdesk server")
	c.Flags().StringVar(&cfg.Token, "token", "", "API token (odk_…)")
	c.Flags().IntVar(&cfg.Clients, "clients", 8, "concurrent clients")
	c.Flags().DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long to run")
	c.Flags().StringVar(&mix, "mix", "create,list,search,get", "operations with optional weights, e.g. create=1,list=4,search=2,get=4")
	c.Flags().Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	c.Flags().StringVar(&cfg.SearchStatus, "search-status", loadtest.OpenStatuses, "status filter of search requests, comma-separated; empty for none")
	c.Flags().StringVar(&cfg.SearchSort, "search-sort", "", "sort of search requests (priority, newest, updated); empty for the server's default")
	c.Flags().Int64SliceVar(&cfg.Groups, "groups", nil, "support group ids for queue requests (default: every group)")
	c.Flags().StringVar(&pageIDs, "page-ids", "", "file of ticket ids, one a line, for page requests")
	c.Flags().IntVar(&pid, "pid", 0, "process id of the server, to report its resident memory")
	return c
}

// readIDs reads ticket ids, one a line.
func readIDs(path string) ([]int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, f := range strings.Fields(string(b)) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%s: %q is not a ticket id", path, f)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s: no ticket ids", path)
	}
	return ids, nil
}

func (e *env) printHTTPReport(rep loadtest.Report) {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "OP\tREQUESTS\tPER SEC\tERRORS\tP50\tP95\tP99\tMAX\t")
	total, errors := 0, 0
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
	for _, r := range rep.Results {
		total += r.Requests()
		errors += r.Errors
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%d\t%s\t%s\t%s\t%s\t\n", r.Op, r.Requests(), float64(r.Requests())/rep.Elapsed.Seconds(),
			r.Errors, ms(r.Percentile(50)), ms(r.Percentile(95)), ms(r.Percentile(99)), ms(r.Percentile(100)))
	}
	fmt.Fprintf(tw, "all\t%d\t%.1f\t%d\t\t\t\t\t\n", total, float64(total)/rep.Elapsed.Seconds(), errors)
	tw.Flush()
}

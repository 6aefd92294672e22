package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"opsdesk/internal/loadtest"
)

func (e *env) benchHTTPCmd() *cobra.Command {
	var cfg loadtest.HTTPConfig
	var mix string
	c := &cobra.Command{
		Use:   "http --url http://127.0.0.1:8080 --token odk_… [--clients 8] [--duration 30s] [--mix create,list,search,get]",
		Short: "Drive the ticket API with concurrent clients for a while and report throughput and latency",
		Long: `Runs --clients keep-alive clients against the JSON API for --duration and prints, per operation, the
requests, throughput, errors and the 50th/95th/99th latency percentiles. Operations: create (POST
/api/v1/tickets), list (status=new), search (q=打印 and other two-character words), get (by id).
--mix takes operation names, each with an optional weight: create=1,list=4,search=2,get=4.`,
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
			fmt.Fprintf(e.stderr, "driving %s with %d clients for %s …\n", cfg.URL, cfg.Clients, cfg.Duration)
			rep, err := loadtest.RunHTTP(cmd.Context(), cfg)
			if err != nil {
				return usageError{err}
			}
			e.printHTTPReport(rep)
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
	return c
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

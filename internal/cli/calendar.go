package cli

import (
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"opsdesk/internal/sla"
)

func (e *env) calendarCmd() *cobra.Command {
	c := &cobra.Command{Use: "calendar", Short: "Check and maintain business calendars (工作日历)"}
	c.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "Name the calendars with their time zone and listed holidays",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := e.openDB(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			if err := a.SLA.EnsureDefault(operator(cmd.Context())); err != nil {
				return err
			}
			cals, err := a.SLA.Calendars(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tTIME ZONE\tHOURS\tDAYS OFF\tMAKE-UP DAYS\tUNTIL")
			for _, c := range cals {
				hours := "7×24"
				if !c.AlwaysOpen {
					hours = fmt.Sprint(c.Week[time.Monday])
				}
				warn := ""
				if sla.MissingNextYear(c, time.Now()) {
					warn = fmt.Sprintf(" (%d missing)", time.Now().Year()+1)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d%s\n", c.Name, c.TimeZone, hours, c.Holidays, c.Workdays, c.LastYear, warn)
			}
			return tw.Flush()
		},
	})
	var name, from string
	var dur time.Duration
	due := &cobra.Command{
		Use:   "due --calendar NAME --from RFC3339 --duration 8h",
		Short: "Print the instant at which a business duration ends on a calendar, in RFC 3339",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start, err := time.Parse(time.RFC3339, from)
			if err != nil {
				return usageError{fmt.Errorf("--from %q: want RFC 3339, e.g. 2026-09-30T17:00:00+08:00", from)}
			}
			if dur < 0 {
				return usageError{fmt.Errorf("--duration must not be negative")}
			}
			a, err := e.openDB(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			if err := a.SLA.EnsureDefault(operator(cmd.Context())); err != nil {
				return err
			}
			cal, err := a.SLA.Calendar(cmd.Context(), name)
			if err != nil {
				return fmt.Errorf("calendar %q: %w", name, err)
			}
			fmt.Fprintln(e.stdout, cal.Due(start, dur).In(cal.Location).Format(time.RFC3339))
			return nil
		},
	}
	due.Flags().StringVar(&name, "calendar", sla.DefaultName, "calendar name")
	due.Flags().StringVar(&from, "from", "", "start instant, RFC 3339")
	due.Flags().DurationVar(&dur, "duration", 8*time.Hour, "business duration, e.g. 4h or 90m")
	var year int
	var file string
	imp := &cobra.Command{
		Use:   "import --calendar NAME --year 2027 --file FILE",
		Short: "Replace one year of holidays and make-up days from a holiday-calendar or holiday-cn JSON file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			data, err := os.ReadFile(file)
			if err != nil {
				return usageError{err}
			}
			a, err := e.openDB(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			ctx := operator(cmd.Context())
			if err := a.SLA.EnsureDefault(ctx); err != nil {
				return err
			}
			n, err := a.SLA.ImportYear(ctx, name, year, data)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "imported %d days of %d into %s\n", n, year, name)
			return nil
		},
	}
	imp.Flags().StringVar(&name, "calendar", sla.DefaultName, "calendar name")
	imp.Flags().IntVar(&year, "year", 0, "year of the file")
	imp.Flags().StringVar(&file, "file", "", "JSON file")
	c.AddCommand(due, imp)
	return c
}

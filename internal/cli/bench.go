package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"opsdesk/internal/app"
	"opsdesk/internal/demo"
	"opsdesk/internal/iam"
	"opsdesk/internal/loadtest"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/ticket"
)

func (e *env) benchCmd() *cobra.Command {
	c := &cobra.Command{Use: "bench", Short: "Load tools: seed many tickets, drive the API (压力测试)"}
	c.AddCommand(e.benchSeedCmd(), e.benchHTTPCmd())
	return c
}

func (e *env) benchSeedCmd() *cobra.Command {
	var n, replies, batch int
	var years int
	var seed uint64
	var withDemo bool
	var long seedLong
	c := &cobra.Command{
		Use:   "seed --tickets N [--replies 3] [--batch 2000]",
		Short: "Write N generated Chinese tickets with replies straight into the database, for load tests",
		Long: `Seeds realistic tickets (打印机卡纸, 网络不通, 邮件无法发送, VPN 连不上 …) spread over the last years,
most of them closed, raised by the organisation's users and worked by its support groups, with their
replies and full-text index, in large transactions. The demo organisation is loaded first unless
--demo=false. Meant for test and benchmark databases, not for production.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if n <= 0 || replies < 0 || batch <= 0 || years <= 0 {
				return usageError{fmt.Errorf("--tickets, --batch and --years must be positive, --replies not negative")}
			}
			if long.share < 0 || long.share > 1 || long.replies < 0 {
				return usageError{fmt.Errorf("--long-share must lie in 0–1, --long-replies not negative")}
			}
			cfg, err := e.config(cmd)
			if err != nil {
				return err
			}
			if withDemo && cfg.AdminPassword == "" {
				cfg.AdminPassword = demo.Password
			}
			ctx := cmd.Context()
			a, err := app.Open(ctx, cfg, e.logger(cfg))
			if err != nil {
				return err
			}
			defer a.Close()
			if withDemo {
				if _, err := demo.Load(ctx, a.IAM); err != nil {
					return fmt.Errorf("demo data: %w", err)
				}
			}
			dir, err := directory(ctx, a.IAM)
			if err != nil {
				return err
			}
			if len(dir.Groups) == 0 {
				fmt.Fprintln(e.stderr, "warning: no support group with members; tickets will have no group or assignee")
			}
			return e.seed(ctx, a.DB, dir, n, replies, batch, years, seed, long)
		},
	}
	c.Flags().IntVar(&n, "tickets", 10000, "number of tickets")
	c.Flags().IntVar(&replies, "replies", 3, "replies and notes per ticket")
	c.Flags().IntVar(&batch, "batch", 2000, "tickets per transaction")
	c.Flags().IntVar(&years, "years", 3, "spread the tickets over this many past years")
	c.Flags().Uint64Var(&seed, "seed", 1, "random seed; the same seed makes the same tickets")
	c.Flags().Float64Var(&long.share, "long-share", 0, "share of tickets (0–1) with --long-replies replies, e.g. 0.01 for ticket-page load")
	c.Flags().IntVar(&long.replies, "long-replies", 20, "replies of the long tickets")
	c.Flags().StringVar(&long.idsFile, "long-ids", "", "write the ids of the long tickets to this file, one a line (for bench http --page-ids)")
	c.Flags().BoolVar(&withDemo, "demo", true, "load the demo organisation first (password "+demo.Password+") and use its people")
	return c
}

// directory reads the organisation's users and groups.
func directory(ctx context.Context, s *iam.Service) (loadtest.Directory, error) {
	var users []*iam.User
	for {
		page, _, err := s.Store.Users(ctx, iam.UserFilter{Limit: 500, Offset: len(users)})
		if err != nil {
			return loadtest.Directory{}, err
		}
		users = append(users, page...)
		if len(page) < 500 {
			break
		}
	}
	groups, err := s.Store.Groups(ctx)
	if err != nil {
		return loadtest.Directory{}, err
	}
	return loadtest.DirectoryFrom(users, groups), nil
}

// seedLong asks for a share of tickets with long conversations.
type seedLong struct {
	share   float64
	replies int
	idsFile string
}

// seed generates batches in one goroutine while the database writes the previous one.
func (e *env) seed(ctx context.Context, db *store.DB, dir loadtest.Directory, n, replies, batch, years int, seed uint64, long seedLong) error {
	g := loadtest.NewGenerator(dir, n, replies, time.Now(), sla.Shanghai, seed)
	g.Span = time.Duration(years) * 365 * 24 * time.Hour
	g.LongShare, g.LongReplies = long.share, long.replies
	var longIDs []int64
	type work struct {
		ts []*ticket.Ticket
		cs [][]*ticket.Comment
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan work, 2)
	go func() {
		defer close(ch)
		for g.Remaining() > 0 {
			ts, cs := g.Batch(batch)
			select {
			case ch <- work{ts, cs}:
			case <-ctx.Done():
				return
			}
		}
	}()
	bar := progressbar.NewOptions(n, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("seeding"),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("tickets"),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionFullWidth(), progressbar.OptionOnCompletion(func() {
			fmt.Fprintln(e.stderr)
		}))
	tickets := store.Tickets{DB: db}
	start := time.Now()
	done, comments := 0, 0
	for w := range ch {
		if err := tickets.SeedBatch(ctx, sla.Shanghai, w.ts, w.cs); err != nil {
			return fmt.Errorf("after %d tickets: %w", done, err)
		}
		done += len(w.ts)
		for i, c := range w.cs {
			comments += len(c)
			if long.share > 0 && len(c) >= long.replies && len(c) > replies {
				longIDs = append(longIDs, w.ts[i].ID)
			}
		}
		bar.Add(len(w.ts))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	bar.Finish()
	el := time.Since(start)
	fmt.Fprintf(e.stdout, "seeded %d tickets and %d replies in %s: %.0f tickets/s, %.0f rows/s\n", done, comments,
		el.Round(time.Millisecond), float64(done)/el.Seconds(), float64(done+comments)/el.Seconds())
	if long.share > 0 {
		fmt.Fprintf(e.stdout, "%d tickets with %d replies\n", len(longIDs), long.replies)
	}
	if long.idsFile != "" {
		var b strings.Builder
		for _, id := range longIDs {
			b.WriteString(strconv.FormatInt(id, 10) + "\n")
		}
		if err := os.WriteFile(long.idsFile, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	if db.Path != "" {
		if fi, err := os.Stat(db.Path); err == nil {
			fmt.Fprintf(e.stdout, "database %s: %.0f MiB\n", db.Path, float64(fi.Size())/(1<<20))
		}
	}
	return nil
}

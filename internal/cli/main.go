// Package cli is opsdesk's command line: serve, migrate, config, user, token, audit, backup, restore
// and version. Each sub-command lives in its own file.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"opsdesk/internal/actor"
	"opsdesk/internal/app"
	"opsdesk/internal/config"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2 // bad flags or an invalid configuration
)

// usageError marks errors that should exit with exitUsage.
type usageError struct{ error }

// env carries what every command needs; tests give their own streams and environment.
type env struct {
	stdout, stderr io.Writer
	environ        []string
}

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, environ: os.Environ()}
	return e.run(ctx, args)
}

func (e *env) run(ctx context.Context, args []string) int {
	root := &cobra.Command{
		Use:           "opsdesk",
		Short:         "opsdesk — IT service management (运维服务台)",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetArgs(args)
	config.AddFlags(root.PersistentFlags())
	root.AddCommand(e.serveCmd(), e.migrateCmd(), e.configCmd(), e.userCmd(), e.tokenCmd(), e.auditCmd(),
		e.backupCmd(), e.restoreCmd(), e.calendarCmd(), e.benchCmd(), e.versionCmd())
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ue usageError
	if errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command") || strings.Contains(err.Error(), "accepts") {
		fmt.Fprintln(e.stderr, "error:", err)
		return exitUsage
	}
	msg, fields := errs.Info(err)
	if msg != "err.internal" {
		t := e.bundle()
		fmt.Fprintln(e.stderr, "error:", t(msg))
		for f, m := range fields {
			fmt.Fprintf(e.stderr, "  %s: %s\n", f, t(m))
		}
		return exitFailed
	}
	fmt.Fprintln(e.stderr, "error:", err)
	return exitFailed
}

// bundle translates for the terminal: zh-CN unless LANG says English.
func (e *env) bundle() func(string) string {
	lang := "zh-CN"
	for _, kv := range e.environ {
		if v, ok := strings.CutPrefix(kv, "LANG="); ok && strings.HasPrefix(v, "en") {
			lang = "en"
		}
	}
	b := newBundle()
	return func(k string) string { return b.T(lang, k) }
}

// config loads and validates the configuration from the command's flags and the environment. An
// invalid configuration lists every problem and exits 2.
func (e *env) config(cmd *cobra.Command) (config.Config, error) {
	cfg, err := config.Load(cmd.Flags(), e.environ)
	if err != nil {
		return cfg, usageError{err}
	}
	if err := cfg.Validate(); err != nil {
		return cfg, usageError{fmt.Errorf("invalid configuration:\n%w", err)}
	}
	return cfg, nil
}

func (e *env) logger(cfg config.Config) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

// openDB opens the database for an administrative command and migrates it, without serving.
func (e *env) openDB(cmd *cobra.Command) (*app.App, error) {
	cfg, err := e.config(cmd)
	if err != nil {
		return nil, err
	}
	a, err := app.OpenStore(cmd.Context(), cfg, e.logger(cfg))
	if err != nil {
		return nil, err
	}
	if _, err := a.DB.Migrate(cmd.Context()); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// operator is the actor of administrative commands run on the server itself: whoever can run them
// already holds the database, so they may do everything, and each change is audited as source cli
// under the operating-system user's name.
func operator(ctx context.Context) context.Context {
	a := actor.System(actor.SourceCLI)
	a.Username = "cli:" + osUser()
	for _, p := range iam.AllPermissions {
		a.Perms[p] = true
	}
	return actor.NewContext(ctx, a)
}

func osUser() string {
	for _, k := range []string{"SUDO_USER", "USER", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "unknown"
}

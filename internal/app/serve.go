package app

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"opsdesk/internal/actor"
)

// Serve listens on the configured address (and the metrics address, if set), runs the background
// loops, and shuts down gracefully when ctx ends (SIGTERM): it stops accepting, lets requests in
// flight finish within the shutdown timeout, then returns. ready, if not nil, receives the bound
// address once the listener is up.
func (a *App) Serve(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", a.Cfg.HTTP.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 1 << 20}
	servers := []*http.Server{srv}
	errc := make(chan error, 3)
	go func() { errc <- srv.Serve(ln) }()
	if a.Cfg.HTTP.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.Cfg.HTTP.MetricsAddr)
		if err != nil {
			srv.Close()
			return err
		}
		msrv := &http.Server{Handler: a.metrics.handler(), ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, msrv)
		go func() { errc <- msrv.Serve(mln) }()
		a.Log.Info("metrics listening", "addr", mln.Addr().String())
	}
	if a.Cfg.HTTP.PprofAddr != "" {
		pln, err := net.Listen("tcp", a.Cfg.HTTP.PprofAddr)
		if err != nil {
			for _, s := range servers {
				s.Close()
			}
			return err
		}
		psrv := &http.Server{Handler: pprofHandler(), ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, psrv)
		go func() { errc <- psrv.Serve(pln) }()
		a.Log.Warn("pprof listening: profiling endpoints without authentication", "addr", pln.Addr().String())
	}
	loopCtx, stopLoops := context.WithCancel(ctx)
	defer stopLoops()
	// The outbox sender, the mailbox poller and the SMTP intake (通知与邮件受理).
	stopMail, err := a.runNotifying(loopCtx)
	if err != nil {
		for _, s := range servers {
			s.Close()
		}
		return err
	}
	a.Log.Info("opsdesk listening", "addr", ln.Addr().String(), "url", a.Cfg.PublicURL(), "db", a.DB.Driver)
	if a.SetupToken != "" {
		a.Log.Warn("first start: open the one-time setup link to create the administrator accounts",
			"url", a.Cfg.PublicURL()+"/setup?token="+a.SetupToken)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	// Expired sessions go; resolved tickets nobody confirmed close after the configured days (each
	// close checks the ticket's version, so two replicas never close one twice).
	go a.every(loopCtx, 10*time.Minute, "session-sweep", func(ctx context.Context) (int, error) {
		n, err := a.IAM.SweepSessions(ctx)
		return int(n), err
	})
	go a.every(loopCtx, 10*time.Minute, "ticket-auto-confirm", a.Tickets.AutoConfirm)
	go a.every(loopCtx, time.Hour, "outbox-purge", a.Sender.Purge)
	// SLA warnings and breaches fire within this period of their instant. An idle tick is one index
	// probe (under 1 ms at 1,000,000 open tickets), so a short period costs nothing and keeps each
	// busy tick small: at the ~9 firings a second of a million open tickets, some 45 per tick.
	go a.every(loopCtx, 5*time.Second, "sla-thresholds", a.Clocks.Tick)

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
	}
	a.Log.Info("shutting down", "timeout", a.Cfg.HTTP.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.Cfg.HTTP.ShutdownTimeout)
	defer cancel()
	var firstErr error
	for _, s := range servers {
		if err := s.Shutdown(sctx); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	if err := stopMail(sctx); err != nil && firstErr == nil {
		firstErr = err
	}
	return firstErr
}

// every runs fn every period until ctx ends, logging failures under name. Each job is safe to run on
// several replicas at once.
func (a *App) every(ctx context.Context, period time.Duration, name string, fn func(ctx context.Context) (int, error)) {
	t := time.NewTicker(period)
	defer t.Stop()
	ctx = actor.NewContext(ctx, actor.System(actor.SourceJob))
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := fn(ctx); err != nil {
				a.Log.Warn("background job failed", "job", name, "err", err)
			} else if n > 0 {
				a.Log.Info("background job done", "job", name, "count", n)
			}
		}
	}
}

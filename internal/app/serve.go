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
	errc := make(chan error, 2)
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
	a.Log.Info("opsdesk listening", "addr", ln.Addr().String(), "url", a.Cfg.PublicURL(), "db", a.DB.Driver)
	if a.SetupToken != "" {
		a.Log.Warn("first start: open the one-time setup link to create the administrator accounts",
			"url", a.Cfg.PublicURL()+"/setup?token="+a.SetupToken)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	loopCtx, stopLoops := context.WithCancel(ctx)
	defer stopLoops()
	go a.sweepSessions(loopCtx)
	go a.autoConfirm(loopCtx)

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
	return firstErr
}

// sweepSessions deletes expired sessions every ten minutes.
func (a *App) sweepSessions(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := a.IAM.SweepSessions(actor.NewContext(ctx, actor.System(actor.SourceJob)))
			if err != nil {
				a.Log.Warn("session sweep failed", "err", err)
			} else if n > 0 {
				a.Log.Debug("expired sessions removed", "count", n)
			}
		}
	}
}

// autoConfirm closes tickets whose requester neither confirmed nor rejected the resolution within
// the configured days, every ten minutes. Several replicas may run it at once: each close checks
// the ticket's version, so a ticket closes once and the loser skips it.
func (a *App) autoConfirm(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := a.Tickets.AutoConfirm(actor.NewContext(ctx, actor.System(actor.SourceJob)))
			if err != nil {
				a.Log.Warn("ticket auto-confirm failed", "err", err)
			} else if n > 0 {
				a.Log.Info("resolved tickets auto-confirmed", "count", n)
			}
		}
	}
}

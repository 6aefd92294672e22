package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Validate returns every problem of c joined with errors.Join, or nil.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s (%s): %s", key, EnvName(key), fmt.Sprintf(format, args...)))
	}
	switch c.DB.Driver {
	case "sqlite":
		if c.DataDir == "" && c.DB.DSN == "" {
			bad("data_dir", "must be set for the sqlite driver")
		}
	case "postgres":
		if c.DB.DSN == "" {
			bad("db.dsn", "required for the postgres driver, e.g. postgres://user@host:5432/opsdesk")
		} else if u, err := url.Parse(c.DB.DSN); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			bad("db.dsn", "must be a postgres:// URL")
		}
	default:
		bad("db.driver", "must be sqlite or postgres, not %q", c.DB.Driver)
	}
	if _, _, err := net.SplitHostPort(c.HTTP.Addr); err != nil {
		bad("http.addr", "must be host:port, not %q", c.HTTP.Addr)
	}
	if c.HTTP.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.HTTP.MetricsAddr); err != nil {
			bad("http.metrics_addr", "must be host:port, not %q", c.HTTP.MetricsAddr)
		}
	}
	if c.HTTP.PprofAddr != "" {
		host, _, err := net.SplitHostPort(c.HTTP.PprofAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			bad("http.pprof_addr", "must be a loopback host:port such as 127.0.0.1:6060, not %q", c.HTTP.PprofAddr)
		}
	}
	if c.HTTP.BaseURL != "" {
		u, err := url.Parse(c.HTTP.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("http.base_url", "must be an absolute http(s) URL, not %q", c.HTTP.BaseURL)
		}
	}
	if c.HTTP.AuthCache < 0 || c.HTTP.AuthCache > time.Minute {
		bad("http.auth_cache", "must be between 0 (off) and 1m")
	}
	if c.HTTP.ShutdownTimeout <= 0 {
		bad("http.shutdown_timeout", "must be positive")
	}
	if c.DB.MaxOpenConns < 1 || c.DB.MaxOpenConns > 1000 {
		bad("db.max_open_conns", "must be between 1 and 1000")
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.Log.Level) {
		bad("log.level", "must be debug, info, warn or error, not %q", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		bad("log.format", "must be text or json, not %q", c.Log.Format)
	}
	if c.Attachments.MaxMB < 1 || c.Attachments.MaxMB > 100 {
		bad("attachments.max_mb", "must be between 1 and 100 (MiB), not %d", c.Attachments.MaxMB)
	}
	if c.Mail.SMTPListen != "" {
		if _, _, err := net.SplitHostPort(c.Mail.SMTPListen); err != nil {
			bad("mail.smtp_listen", "must be host:port such as 0.0.0.0:2525, not %q", c.Mail.SMTPListen)
		}
	}
	if d := c.Mail.SMTPDomain; d != "" && (strings.ContainsAny(d, " /:@") || !strings.Contains(d, ".")) {
		bad("mail.smtp_domain", "must be a domain name such as itsm.example.cn, not %q", d)
	}
	return errors.Join(errs...)
}

// SMTPDomain is the domain the inbound SMTP listener names itself with: mail.smtp_domain, else the
// host of the public URL.
func (c Config) SMTPDomain() string {
	if c.Mail.SMTPDomain != "" {
		return c.Mail.SMTPDomain
	}
	if u, err := url.Parse(c.PublicURL()); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// SecureCookies reports whether cookies must carry the Secure flag: when the public URL is https.
func (c Config) SecureCookies() bool {
	return strings.HasPrefix(c.HTTP.BaseURL, "https://")
}

func sortStrings(s []string) { slices.Sort(s) }

// maskSecret hides a secret; for a postgres URL only the password is hidden so the host stays visible.
func maskSecret(key, v string) string {
	if key == "db.dsn" {
		if !strings.Contains(v, "://") {
			return v // a SQLite file path holds no secret
		}
		if u, err := url.Parse(v); err == nil && u.User != nil {
			if _, has := u.User.Password(); has {
				u.User = url.UserPassword(u.User.Username(), "xxxxx")
				return strings.Replace(u.String(), "xxxxx", "******", 1)
			}
			return v
		}
	}
	return "******"
}

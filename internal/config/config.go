// Package config holds opsdesk's configuration (配置): code defaults, overridden by opsdesk.toml, then by
// OPSDESK_* environment variables, then by command-line flags. It is passed around as a value.
package config

import (
	"path/filepath"
	"time"
)

// Config is the effective configuration of one opsdesk process.
type Config struct {
	DataDir string `koanf:"data_dir"` // SQLite file, attachments, backups
	HTTP    HTTP   `koanf:"http"`
	DB      DB     `koanf:"db"`
	Log     Log    `koanf:"log"`
	// Attachments bounds the files attached to tickets.
	Attachments Attachments `koanf:"attachments"`
	// Mail configures e-mail intake (邮件受理) over SMTP; mailboxes polled over IMAP are set up by
	// administrators in the UI, each with its own poll interval.
	Mail Mail `koanf:"mail"`
	// AdminPassword, when set on the first start of an empty database, creates the user admin.
	AdminPassword string `koanf:"admin_password"`
}

// Mail configures the optional inbound SMTP listener: mail servers deliver to it directly, instead of
// opsdesk polling a mailbox.
type Mail struct {
	// SMTPListen is the listen address (0.0.0.0:2525); empty keeps the listener off.
	SMTPListen string `koanf:"smtp_listen"`
	// SMTPDomain is the domain the listener greets with and accepts mail for; empty: the host of
	// the public URL.
	SMTPDomain string `koanf:"smtp_domain"`
	// SMTPMailbox names the mailbox (configured under 邮箱) whose desk address the listener's mail is
	// delivered to: mail from that address is a loop, and the records show under that mailbox.
	// Empty: the listener's mail belongs to no mailbox and only the other loop rules apply.
	SMTPMailbox string `koanf:"smtp_mailbox"`
}

// HTTP configures the listener.
type HTTP struct {
	Addr        string `koanf:"addr"`
	BaseURL     string `koanf:"base_url"`     // public URL, used in links and to decide on Secure cookies
	MetricsAddr string `koanf:"metrics_addr"` // empty: /metrics on the main listener, for auditors and admins only
	// PprofAddr, when set, serves net/http/pprof on this loopback address (127.0.0.1:6060) for profiling.
	PprofAddr string `koanf:"pprof_addr"`
	// ShutdownTimeout bounds the graceful drain on SIGTERM.
	ShutdownTimeout time.Duration `koanf:"shutdown_timeout"`
	// AuthCache, when positive, lets each process keep what authenticating a token or session read
	// for this long. Off by default: a disabled account must be refused at once by every replica.
	AuthCache time.Duration `koanf:"auth_cache"`
}

// DB selects the database engine.
type DB struct {
	Driver string `koanf:"driver"` // sqlite or postgres
	DSN    string `koanf:"dsn"`    // sqlite: file path (default <data_dir>/opsdesk.db); postgres: URL
	// MaxOpenConns caps the PostgreSQL pool and the SQLite read pool.
	MaxOpenConns int `koanf:"max_open_conns"`
}

// Log configures slog.
type Log struct {
	Level  string `koanf:"level"`  // debug, info, warn, error
	Format string `koanf:"format"` // text or json
}

// Attachments configures ticket attachments (附件), which are stored in the database.
type Attachments struct {
	MaxMB int `koanf:"max_mb"` // the largest file in MiB (1–100)
}

// MaxBytes is the largest attachment in bytes.
func (a Attachments) MaxBytes() int64 { return int64(a.MaxMB) << 20 }

// Default returns the configuration used when nothing is set: SQLite under ./data on 127.0.0.1:8080.
func Default() Config {
	return Config{
		DataDir: "data",
		HTTP: HTTP{
			Addr:            "127.0.0.1:8080",
			ShutdownTimeout: 15 * time.Second,
		},
		DB:          DB{Driver: "sqlite", MaxOpenConns: 8},
		Log:         Log{Level: "info", Format: "text"},
		Attachments: Attachments{MaxMB: 20},
	}
}

// SQLitePath is the database file used when the driver is sqlite.
func (c Config) SQLitePath() string {
	if c.DB.DSN != "" {
		return c.DB.DSN
	}
	return filepath.Join(c.DataDir, "opsdesk.db")
}

// PublicURL is the base URL for links, derived from the listen address when none is configured.
func (c Config) PublicURL() string {
	if c.HTTP.BaseURL != "" {
		return c.HTTP.BaseURL
	}
	return "http://" + c.HTTP.Addr
}

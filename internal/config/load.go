package config

import (
	"fmt"
	"os"
	"strings"

	"github.com/knadh/koanf/parsers/toml"
	"github.com/knadh/koanf/providers/confmap"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/providers/posflag"
	"github.com/knadh/koanf/v2"
	"github.com/spf13/pflag"
)

// secretKeys are masked by Masked and may be read from a file named by OPSDESK_<KEY>_FILE.
var secretKeys = map[string]bool{"db.dsn": true, "admin_password": true}

// FlagKeys maps command-line flag names to configuration keys.
var FlagKeys = map[string]string{
	"data":         "data_dir",
	"addr":         "http.addr",
	"base-url":     "http.base_url",
	"metrics-addr": "http.metrics_addr",
	"pprof-addr":   "http.pprof_addr",
	"db-driver":    "db.driver",
	"db-dsn":       "db.dsn",
	"log-level":    "log.level",
	"log-format":   "log.format",
}

// AddFlags registers the configuration flags on fs.
func AddFlags(fs *pflag.FlagSet) {
	fs.String("config", "", "path to opsdesk.toml (default: ./opsdesk.toml when present)")
	fs.String("data", "", "data directory (SQLite file, attachments)")
	fs.String("addr", "", "listen address, e.g. 127.0.0.1:8080")
	fs.String("base-url", "", "public base URL, e.g. https://itsm.example.cn")
	fs.String("metrics-addr", "", "separate listen address for /metrics")
	fs.String("pprof-addr", "", "loopback listen address for net/http/pprof, e.g. 127.0.0.1:6060 (off when empty)")
	fs.String("db-driver", "", "database driver: sqlite or postgres")
	fs.String("db-dsn", "", "database DSN (postgres URL or SQLite file)")
	fs.String("log-level", "", "log level: debug, info, warn, error")
	fs.String("log-format", "", "log format: text or json")
}

// Load builds the configuration: defaults < file < environment < flags. environ is os.Environ() in
// production and a fixed list in tests. fs may be nil.
func Load(fs *pflag.FlagSet, environ []string) (Config, error) {
	k := koanf.New(".")
	if err := k.Load(confmap.Provider(toMap(Default()), "."), nil); err != nil {
		return Config{}, err
	}
	path := ""
	if fs != nil {
		path, _ = fs.GetString("config")
	}
	env := envMap(environ)
	if path == "" {
		path = env["OPSDESK_CONFIG"]
	}
	if path == "" {
		if _, err := os.Stat("opsdesk.toml"); err == nil {
			path = "opsdesk.toml"
		}
	}
	if path != "" {
		if err := k.Load(file.Provider(path), toml.Parser()); err != nil {
			return Config{}, fmt.Errorf("config file %s: %w", path, err)
		}
	}
	envVals, err := fromEnv(k, env)
	if err != nil {
		return Config{}, err
	}
	if err := k.Load(confmap.Provider(envVals, "."), nil); err != nil {
		return Config{}, err
	}
	if fs != nil {
		err := k.Load(posflag.ProviderWithFlag(fs, ".", k, func(f *pflag.Flag) (string, any) {
			key, ok := FlagKeys[f.Name]
			if !ok || !f.Changed {
				return "", nil
			}
			return key, posflag.FlagVal(fs, f)
		}), nil)
		if err != nil {
			return Config{}, err
		}
	}
	var c Config
	if err := k.UnmarshalWithConf("", &c, koanf.UnmarshalConf{Tag: "koanf"}); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

func envMap(environ []string) map[string]string {
	m := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// EnvName is the environment variable that sets a configuration key: db.dsn → OPSDESK_DB_DSN.
func EnvName(key string) string {
	return "OPSDESK_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// fromEnv reads the OPSDESK_* variable of every known key. Keys are derived from the defaults, so
// OPSDESK_DATA_DIR is data_dir and never data.dir.
func fromEnv(k *koanf.Koanf, env map[string]string) (map[string]any, error) {
	out := map[string]any{}
	for _, key := range k.Keys() {
		name := EnvName(key)
		if v, ok := env[name]; ok {
			out[key] = v
		}
		if secretKeys[key] {
			if p, ok := env[name+"_FILE"]; ok {
				b, err := os.ReadFile(p)
				if err != nil {
					return nil, fmt.Errorf("%s_FILE: %w", name, err)
				}
				out[key] = strings.TrimSpace(string(b))
			}
		}
	}
	return out, nil
}

// toMap flattens c into koanf keys, so that every key has a default and a derived env name.
func toMap(c Config) map[string]any {
	return map[string]any{
		"data_dir":              c.DataDir,
		"admin_password":        c.AdminPassword,
		"http.addr":             c.HTTP.Addr,
		"http.base_url":         c.HTTP.BaseURL,
		"http.metrics_addr":     c.HTTP.MetricsAddr,
		"http.pprof_addr":       c.HTTP.PprofAddr,
		"http.shutdown_timeout": c.HTTP.ShutdownTimeout.String(),
		"http.auth_cache":       c.HTTP.AuthCache.String(),
		"db.driver":             c.DB.Driver,
		"db.dsn":                c.DB.DSN,
		"db.max_open_conns":     c.DB.MaxOpenConns,
		"log.level":             c.Log.Level,
		"log.format":            c.Log.Format,
		"attachments.max_mb":    c.Attachments.MaxMB,
		"mail.smtp_listen":      c.Mail.SMTPListen,
		"mail.smtp_domain":      c.Mail.SMTPDomain,
		"mail.smtp_mailbox":     c.Mail.SMTPMailbox,
	}
}

// Masked renders the configuration as TOML-like "key = value" lines, secrets replaced by ******.
func (c Config) Masked() string {
	m := toMap(c)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := fmt.Sprint(m[k])
		if secretKeys[k] && v != "" {
			v = maskSecret(k, v)
		}
		fmt.Fprintf(&b, "%s = %q\n", k, v)
	}
	return b.String()
}

package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "opsdesk.toml")
	os.WriteFile(path, []byte("data_dir = \"/from/file\"\n[http]\naddr = \"127.0.0.1:1000\"\nbase_url = \"https://file.example\"\n[log]\nlevel = \"warn\"\n"), 0o600)
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	AddFlags(fs)
	if err := fs.Parse([]string{"--config", path, "--addr", "127.0.0.1:3000"}); err != nil {
		t.Fatal(err)
	}
	env := []string{"OPSDESK_HTTP_ADDR=127.0.0.1:2000", "OPSDESK_DATA_DIR=/from/env", "OPSDESK_HTTP_SHUTDOWN_TIMEOUT=3s"}
	c, err := Load(fs, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != "127.0.0.1:3000" {
		t.Errorf("flag must win: addr = %q", c.HTTP.Addr)
	}
	if c.DataDir != "/from/env" {
		t.Errorf("env must beat file: data_dir = %q", c.DataDir)
	}
	if c.HTTP.BaseURL != "https://file.example" || c.Log.Level != "warn" {
		t.Errorf("file values lost: %+v", c)
	}
	if c.DB.Driver != "sqlite" || c.HTTP.ShutdownTimeout != 3*time.Second {
		t.Errorf("defaults/env durations wrong: %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("valid config rejected: %v", err)
	}
}

func TestSecretFromFileAndMasked(t *testing.T) {
	p := filepath.Join(t.TempDir(), "dsn")
	os.WriteFile(p, []byte("postgres://ops:s3cret@db:5432/opsdesk\n"), 0o600)
	c, err := Load(nil, []string{"OPSDESK_DB_DRIVER=postgres", "OPSDESK_DB_DSN_FILE=" + p, "OPSDESK_ADMIN_PASSWORD=hunter2"})
	if err != nil {
		t.Fatal(err)
	}
	if c.DB.DSN != "postgres://ops:s3cret@db:5432/opsdesk" {
		t.Fatalf("dsn = %q", c.DB.DSN)
	}
	out := c.Masked()
	if strings.Contains(out, "s3cret") || strings.Contains(out, "hunter2") {
		t.Fatalf("secret shown:\n%s", out)
	}
	if !strings.Contains(out, "db:5432") {
		t.Fatalf("host hidden too:\n%s", out)
	}
}

func TestValidateListsEveryProblem(t *testing.T) {
	c := Default()
	c.DB.Driver = "mysql"
	c.HTTP.Addr = "nonsense"
	c.Log.Level = "loud"
	c.HTTP.BaseURL = "ftp://x"
	err := c.Validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{"db.driver", "http.addr", "log.level", "http.base_url", "OPSDESK_DB_DRIVER"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s:\n%v", want, err)
		}
	}
}

func TestMailSettings(t *testing.T) {
	c, err := Load(nil, []string{"OPSDESK_MAIL_SMTP_LISTEN=0.0.0.0:2525", "OPSDESK_HTTP_BASE_URL=https://itsm.example.cn"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Mail.SMTPListen != "0.0.0.0:2525" {
		t.Fatalf("mail = %+v", c.Mail)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("valid mail settings rejected: %v", err)
	}
	if got := c.SMTPDomain(); got != "itsm.example.cn" {
		t.Errorf("SMTPDomain = %q, want the public host", got)
	}
	if d := Default(); d.Mail.SMTPListen != "" || d.SMTPDomain() != "127.0.0.1" {
		t.Errorf("default: listener %q, domain %q", d.Mail.SMTPListen, d.SMTPDomain())
	}
	c.Mail = Mail{SMTPListen: "2525", SMTPDomain: "a b"}
	err = c.Validate()
	for _, want := range []string{"mail.smtp_listen", "mail.smtp_domain", "OPSDESK_MAIL_SMTP_LISTEN"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
}

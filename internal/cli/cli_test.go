package cli

import (
	"bytes"
	"context"
	"database/sql"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// runCLI runs one command in-process with the given environment and returns its exit code and output.
func runCLI(t *testing.T, ctx context.Context, environ []string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, environ: environ}
	code := e.run(ctx, args)
	return code, out.String(), errb.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func get(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestOperatorJourney follows the foundation's acceptance steps on SQLite: serve with
// OPSDESK_ADMIN_PASSWORD, health checks, a CLI token that works until the user is disabled, backup,
// and an audit chain that verifies until a row is edited by hand.
func TestOperatorJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	dir := t.TempDir()
	addr := freeAddr(t)
	environ := []string{"OPSDESK_ADMIN_PASSWORD=Opsdesk@2026!", "OPSDESK_LOG_LEVEL=warn"}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		code, _, _ := runCLI(t, ctx, environ, "serve", "--data", dir, "--addr", addr)
		done <- code
	}()
	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for get(t, base+"/healthz", "") != 200 {
		if time.Now().After(deadline) {
			t.Fatal("server did not come up")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if s := get(t, base+"/readyz", ""); s != 200 {
		t.Fatalf("readyz %d", s)
	}
	code, out, errOut := runCLI(t, context.Background(), nil, "user", "create", "--data", dir, "--username", "zhangsan",
		"--name", "张三", "--role", "agent", "--password", "Zs@opsdesk2026")
	if code != 0 || !strings.Contains(out, "created user zhangsan") {
		t.Fatalf("user create: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, context.Background(), nil, "token", "create", "--user", "zhangsan", "--data", dir)
	token := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(token, "odk_") {
		t.Fatalf("token create: %d %q", code, out)
	}
	if s := get(t, base+"/api/v1/me", token); s != 200 {
		t.Fatalf("/api/v1/me with the new token: %d", s)
	}
	if code, out, _ = runCLI(t, context.Background(), nil, "user", "disable", "zhangsan", "--data", dir); code != 0 {
		t.Fatalf("user disable: %d %q", code, out)
	}
	if s := get(t, base+"/api/v1/me", token); s != 401 {
		t.Fatalf("/api/v1/me after disable: %d, want 401", s)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if code, out, errOut = runCLI(t, context.Background(), nil, "backup", "--out", backup, "--data", dir); code != 0 {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	stop()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d after shutdown", code)
	}
	code, out, _ = runCLI(t, context.Background(), nil, "audit", "verify", "--data", dir)
	if code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify on untouched db: %d %q", code, out)
	}
	tamper(t, filepath.Join(dir, "opsdesk.db"))
	code, out, _ = runCLI(t, context.Background(), nil, "audit", "verify", "--data", dir)
	if code != 1 || !strings.Contains(out, "BROKEN at entry #3") {
		t.Fatalf("audit verify after tampering: %d %q", code, out)
	}
	restored := t.TempDir()
	if code, out, _ = runCLI(t, context.Background(), nil, "restore", "--in", backup, "--data", restored); code != 0 {
		t.Fatalf("restore: %d %q", code, out)
	}
	if code, out, _ = runCLI(t, context.Background(), nil, "audit", "verify", "--data", restored); code != 0 {
		t.Fatalf("verify restored backup: %d %q", code, out)
	}
}

// tamper edits audit entry 3 the way an intruder with file access would: dropping the append-only
// trigger first.
func tamper(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET actor_name = 'nobody' WHERE seq = 3"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestInvalidConfigExits2(t *testing.T) {
	code, _, errOut := runCLI(t, context.Background(), []string{"OPSDESK_DB_DRIVER=oracle", "OPSDESK_LOG_FORMAT=xml"}, "config", "show", "--addr", "bad")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, want := range []string{"db.driver", "log.format", "http.addr"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not name %s:\n%s", want, errOut)
		}
	}
}

func TestConfigShowMasksSecrets(t *testing.T) {
	code, out, _ := runCLI(t, context.Background(), []string{"OPSDESK_DB_DRIVER=postgres", "OPSDESK_DB_DSN=postgres://ops:topsecret@db:5432/opsdesk", "OPSDESK_ADMIN_PASSWORD=hunter2hunter2"}, "config", "show")
	if code != 0 || strings.Contains(out, "topsecret") || strings.Contains(out, "hunter2") || !strings.Contains(out, "db:5432") {
		t.Fatalf("config show: %d\n%s", code, out)
	}
}

func TestVersionAndUsage(t *testing.T) {
	if code, out, _ := runCLI(t, context.Background(), nil, "version"); code != 0 || !strings.HasPrefix(out, "opsdesk ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, _ := runCLI(t, context.Background(), nil, "no-such-command"); code != 2 {
		t.Fatalf("unknown command exit %d", code)
	}
	if code, _, _ := runCLI(t, context.Background(), nil, "backup"); code != 2 {
		t.Fatalf("backup without --out exit %d", code)
	}
	if code, _, errOut := runCLI(t, context.Background(), []string{"OPSDESK_DB_DRIVER=postgres", "OPSDESK_DB_DSN=postgres://x@127.0.0.1:1/x"}, "backup", "--out", "x"); code != 2 || !strings.Contains(errOut, "pg_dump") {
		t.Fatalf("backup on postgres: %d %q", code, errOut)
	}
}

package main_test

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"kefu/store/storetest"
)

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kefu-cli")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "kefu")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// kefu runs the binary with the data directory in the environment, as an
// operator beside a running server would.
func kefu(t *testing.T, dataDir, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "KEFU_DATA_DIR="+dataDir, "KEFU_DATABASE_URL=", "KEFU_MASTER_KEY=")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

func mustKefu(t *testing.T, dataDir, stdin string, args ...string) string {
	t.Helper()
	out, errOut, err := kefu(t, dataDir, stdin, args...)
	if err != nil {
		t.Fatalf("kefu %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// serve starts `kefu serve` on a free port and returns its base URL.
func serve(t *testing.T, dataDir string, args ...string) (string, *strings.Builder) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "KEFU_DATA_DIR="+dataDir, "KEFU_DATABASE_URL=", "KEFU_MASTER_KEY=")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	stdout, _ := cmd.StdoutPipe()
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	var printed strings.Builder
	sc := bufio.NewScanner(stdout)
	deadline := time.After(30 * time.Second)
	lines := make(chan string)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("kefu serve exited:\n%s\n%s", printed.String(), logs.String())
			}
			printed.WriteString(line + "\n")
			if url, ok := strings.CutPrefix(line, "kefu is ready on "); ok {
				go func() {
					for range lines {
					}
				}()
				return url, &printed
			}
		case <-deadline:
			t.Fatalf("kefu serve did not start:\n%s", logs.String())
		}
	}
}

func TestCommandsBesideARunningServer(t *testing.T) {
	data := t.TempDir()
	if out := mustKefu(t, data, "", "version"); !strings.HasPrefix(out, "kefu ") {
		t.Fatalf("version: %q", out)
	}
	_, stderr, err := kefu(t, data, "", "migrate")
	if err != nil || !strings.Contains(stderr, "created a new master key") {
		t.Fatalf("first migrate: %v %s", err, stderr)
	}
	if info, err := os.Stat(filepath.Join(data, "master.key")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("master key file: %v %v", info, err)
	}

	// Errors go to stderr with a non-zero exit and say what to do.
	_, stderr, err = kefu(t, data, "", "user", "create", "--email", "a@example.com", "--name", "A")
	if err == nil || !strings.Contains(stderr, "--password-stdin") {
		t.Fatalf("user create without --password-stdin: %v %q", err, stderr)
	}
	_, stderr, err = kefu(t, data, "short\n", "user", "create", "--email", "a@example.com", "--name", "A", "--password-stdin")
	if err == nil || !strings.Contains(stderr, "(password)") {
		t.Fatalf("short password: %v %q", err, stderr)
	}

	url, _ := serve(t, data)
	out := mustKefu(t, data, "a long admin password\n", "user", "create", "--email", "ops@example.com", "--name", "运维", "--role", "admin", "--password-stdin")
	if !strings.Contains(out, "created user ops@example.com") {
		t.Fatalf("user create: %q", out)
	}
	token := lastLine(mustKefu(t, data, "", "token", "create", "--email", "ops@example.com", "--name", "ci"))
	if !strings.HasPrefix(token, "kf_") {
		t.Fatalf("the last line is not the token: %q", token)
	}
	req, _ := http.NewRequest("GET", url+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "ops@example.com") {
		t.Fatalf("the server does not accept the CLI's token: %d %s", resp.StatusCode, body)
	}

	// Backup while serving, restore elsewhere, rotate keys: all beside the server.
	backupFile := filepath.Join(t.TempDir(), "kefu.bak")
	if out := mustKefu(t, data, "", "backup", "--out", backupFile); !strings.Contains(out, "backed up to") {
		t.Fatalf("backup: %q", out)
	}
	restored := t.TempDir()
	mustKefu(t, restored, "", "restore", "--in", backupFile)
	if _, stderr, err := kefu(t, restored, "", "restore", "--in", backupFile); err == nil || !strings.Contains(stderr, "--force") {
		t.Fatalf("restore over a database: %v %q", err, stderr)
	}
	if out := mustKefu(t, data, "", "keys", "rotate"); !strings.Contains(out, "is now active") {
		t.Fatalf("keys rotate: %q", out)
	}
	if out := mustKefu(t, data, "", "train"); !strings.Contains(out, "0 corrected conversations") || !strings.Contains(out, "model written to") {
		t.Fatalf("train: %q", out)
	}
	if _, err := os.Stat(filepath.Join(data, "models", "intent.model")); err != nil {
		t.Fatalf("train wrote no model: %v", err)
	}

	// The audit chain verifies; altering a row is reported at that row.
	if out := mustKefu(t, data, "", "audit", "verify"); !strings.Contains(out, "audit log intact") {
		t.Fatalf("verify: %q", out)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "kefu.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE audit_log SET target_id = 'someone-else' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	_, stderr, err = kefu(t, data, "", "audit", "verify")
	if err == nil || !strings.Contains(stderr, "broken at entry 2") {
		t.Fatalf("verify after tampering: %v %q", err, stderr)
	}
}

func TestServeCreatesTheDemoOnce(t *testing.T) {
	data := t.TempDir()
	url, printed := serve(t, data, "--demo")
	if !strings.Contains(printed.String(), "admin@kefu.local") || !strings.Contains(printed.String(), "password:") {
		t.Fatalf("first start did not print the admin login:\n%s", printed)
	}
	resp, err := http.Get(url + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v", err)
	}
	resp.Body.Close()
	// The console is served at / with client-side routes falling back to it.
	for _, path := range []string{"/", "/contacts"} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "<div id=\"root\">") {
			t.Fatalf("GET %s: %d %.200s", path, resp.StatusCode, body)
		}
	}
	if out := mustKefu(t, data, "", "demo"); !strings.Contains(out, "already has users") {
		t.Fatalf("second demo: %q", out)
	}
}

func TestBackupOnPostgresGivesAdvice(t *testing.T) {
	url := storetest.PostgresURL(t)
	cmd := exec.Command(bin, "backup", "--out", filepath.Join(t.TempDir(), "x"))
	cmd.Env = append(os.Environ(), "KEFU_DATA_DIR="+t.TempDir(), "KEFU_DATABASE_URL="+url)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "pg_dump --format=custom") {
		t.Fatalf("backup on PostgreSQL: %v %s", err, out)
	}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// lockedBuffer is a bytes.Buffer safe to read while the child writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// buildBinary compiles the command once per test binary run.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	bin := filepath.Join(dir, "agent-server")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	require.NoError(tb, cmd.Run())
	return bin
}

// startProcess starts the binary on a free port and returns its base URL
// once it has printed its "listening on" line.
func startProcess(tb testing.TB, bin string, env []string, args ...string) (*exec.Cmd, string, *lockedBuffer) {
	tb.Helper()
	cmd := exec.Command(bin, append([]string{"--host", "127.0.0.1", "--port", "0"}, args...)...)
	cmd.Env = env
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	require.NoError(tb, err)
	require.NoError(tb, cmd.Start())
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(tb, err, "stderr: %s", stderr.String())
	url := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	require.True(tb, strings.HasPrefix(url, "http://127.0.0.1:"), line)
	go io.Copy(io.Discard, out)
	return cmd, url, stderr
}

func get(t testing.TB, url string, hdr map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestStandaloneServesAndShutsDownOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := buildBinary(t)
	env := []string{"SESSION_API_KEY=sess-key-standalone", "OH_SECRET_KEY=k", "LOG_JSON=true", "HOME=" + t.TempDir()}
	cmd, url, stderr := startProcess(t, bin, env, "--data-dir", t.TempDir())

	code, body := get(t, url+"/health", nil)
	require.Equal(t, 200, code)
	require.JSONEq(t, `{"status":"ok"}`, body)
	code, body = get(t, url+"/api/settings", nil)
	require.Equal(t, 401, code)
	require.JSONEq(t, `{"detail":"Unauthorized"}`, body)
	code, _ = get(t, url+"/api/settings", map[string]string{"X-Session-API-Key": "sess-key-standalone"})
	require.Equal(t, 200, code)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, "exit after SIGTERM; stderr: %s", stderr.String())
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("server did not exit after SIGTERM")
	}
	logs := stderr.String()
	require.Contains(t, logs, `"msg":"shutting down"`)
	require.NotContains(t, logs, "sess-key-standalone")
}

func TestBadFlagsFail(t *testing.T) {
	var out, errb bytes.Buffer
	err := run([]string{"--port", "notanumber"}, func(string) (string, bool) { return "", false }, &out, &errb)
	require.Error(t, err)
	err = run([]string{"extra"}, func(string) (string, bool) { return "", false }, &out, &errb)
	require.ErrorContains(t, err, "unexpected arguments")
}

// BenchmarkStandaloneStartToHealthy measures process start → first 200 from
// /health, beside BenchmarkProcessSpawnBaseline (start and reap a trivial
// process) measured in the same run.
func BenchmarkStandaloneStartToHealthy(b *testing.B) {
	bin := buildBinary(b)
	env := []string{"HOME=" + b.TempDir(), "OH_SECRET_KEY=k"}
	client := &http.Client{Timeout: 2 * time.Second}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd, url, _ := startProcess(b, bin, env, "--memory")
		for {
			resp, err := client.Get(url + "/health")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
		}
		b.StopTimer()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		b.StartTimer()
	}
}

func BenchmarkProcessSpawnBaseline(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if err := exec.CommandContext(ctx, "/bin/true").Run(); err != nil {
			b.Fatal(err)
		}
	}
}

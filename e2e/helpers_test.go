package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// serverPkg is the import path of the standalone agent-server binary.
const serverPkg = "github.com/openhands-go/sdk/internal/cmd/agent-server"

// randHex returns n random bytes as hex (unique test values).
func randHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// goTool returns the go command that runs this test.
func goTool(t testing.TB) string {
	t.Helper()
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	p, err := exec.LookPath("go")
	require.NoError(t, err, "the go tool is needed to build the agent-server binary")
	return p
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// buildServer builds the standalone agent-server into a temporary directory
// and returns the binary's path.
func buildServer(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "agent-server")
	cmd := exec.Command(goTool(t), "build", "-o", bin, serverPkg)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build %s: %s", serverPkg, out)
	return bin
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// child is a running standalone agent-server.
type child struct {
	cmd    *exec.Cmd
	URL    string
	stderr *syncBuffer
	waited chan struct{}
	err    error // Wait's result, valid after waited is closed
}

// childEnv is the environment of a child server: only what it needs, so the
// developer's own OH_* / SESSION_API_KEY variables cannot leak in.
func childEnv(sessionKey, secretKey string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		"LOG_JSON=true",
		"OPENHANDS_AGENT_SERVER_CONFIG_PATH=" + filepath.Join(os.TempDir(), "e2e-no-such-config.json"),
	}
	if sessionKey != "" {
		env = append(env, "SESSION_API_KEY="+sessionKey)
	}
	if secretKey != "" {
		env = append(env, "OH_SECRET_KEY="+secretKey)
	}
	return env
}

// startChild starts bin on a random loopback port with dataDir and waits for
// its "listening on" line.
func startChild(t testing.TB, bin, dataDir string, env []string) (*child, error) {
	t.Helper()
	cmd := exec.Command(bin, "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir)
	cmd.Env = env
	c := &child{cmd: cmd, stderr: &syncBuffer{}, waited: make(chan struct{})}
	cmd.Stderr = c.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				urlc <- strings.TrimSpace(u)
			}
		}
		close(urlc)
	}()
	go func() {
		c.err = cmd.Wait()
		close(c.waited)
	}()
	t.Cleanup(func() { _ = c.kill() })
	select {
	case u, ok := <-urlc:
		if !ok {
			_ = c.kill()
			return nil, fmt.Errorf("agent-server exited before listening: %s", c.stderr.String())
		}
		c.URL = u
		return c, nil
	case <-time.After(20 * time.Second):
		_ = c.kill()
		return nil, fmt.Errorf("agent-server did not print its address within 20s: %s", c.stderr.String())
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (c *child) kill() error {
	select {
	case <-c.waited:
		return nil
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-c.waited:
		return nil
	case <-time.After(10 * time.Second):
		return errors.New("agent-server did not die within 10s of SIGKILL")
	}
}

// stop asks for a graceful shutdown (SIGTERM) and waits.
func (c *child) stop() error {
	select {
	case <-c.waited:
		return c.err
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-c.waited:
		return c.err
	case <-time.After(15 * time.Second):
		_ = c.kill()
		return errors.New("agent-server did not stop within 15s of SIGTERM")
	}
}

// rawResp is an HTTP answer read completely.
type rawResp struct {
	Status int
	Header http.Header
	Body   []byte
}

// noRedirectClient returns an HTTP client that never follows redirects.
func noRedirectClient() *http.Client {
	return &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{DisableKeepAlives: false, MaxIdleConnsPerHost: 8},
	}
}

// rawDo sends one request. key is sent as X-Session-API-Key when non-empty;
// hdr adds headers. body nil means no body.
func rawDo(t testing.TB, c *http.Client, method, url, key string, body io.Reader, hdr map[string]string) rawResp {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("X-Session-API-Key", key)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	require.NoError(t, err, "%s %s", method, url)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return rawResp{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// detailOf returns the "detail" member of a JSON error body, or an error
// when the body is not a JSON object with a non-empty string or list detail.
func detailOf(body []byte) (any, error) {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("error body is not a JSON object: %q", clipBytes(body))
	}
	d, ok := m["detail"]
	if !ok {
		return nil, fmt.Errorf("error body has no detail: %q", clipBytes(body))
	}
	switch v := d.(type) {
	case string:
		if v == "" {
			return nil, errors.New("empty detail")
		}
	case []any:
		if len(v) == 0 {
			return nil, errors.New("empty detail list")
		}
	default:
		return nil, fmt.Errorf("detail is neither a string nor a list: %q", clipBytes(body))
	}
	return d, nil
}

func clipBytes(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

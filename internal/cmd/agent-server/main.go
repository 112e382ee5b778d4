// Command agent-server runs the Go reference agent-server (Settings and
// Secrets API) as a standalone process, with flags and environment like
// upstream's `python -m openhands.agent_server`:
//
//	go run ./internal/cmd/agent-server --host 127.0.0.1 --port 8000 [--data-dir DIR]
//
// Environment: OH_SECRET_KEY, OH_SESSION_API_KEYS / OH_SESSION_API_KEYS_<i> /
// SESSION_API_KEY, OPENHANDS_AGENT_SERVER_CONFIG_PATH, OH_PERSISTENCE_DIR
// (overridden by --data-dir), LOG_JSON, LOG_LEVEL, DEBUG.
//
// Once listening it prints one line "listening on http://HOST:PORT" to
// standard output (useful with --port 0). SIGINT and SIGTERM shut it down
// gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/openhands-go/sdk/internal/server"
	"github.com/openhands-go/sdk/internal/store"
)

func main() {
	if err := run(os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "agent-server:", err)
		os.Exit(1)
	}
}

func newLogger(lookup func(string) (string, bool), w io.Writer) *slog.Logger {
	getenv := func(k string) string { v, _ := lookup(k); return v }
	level := slog.LevelInfo
	switch strings.ToLower(strings.TrimSpace(getenv("LOG_LEVEL"))) {
	case "debug":
		level = slog.LevelDebug
	case "warning", "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	if v := strings.ToLower(strings.TrimSpace(getenv("LOG_JSON"))); v == "1" || v == "true" || v == "yes" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// run is main with its inputs made explicit; lookup is os.LookupEnv (so an
// empty OH_SECRET_KEY still counts as a key, as upstream).
func run(args []string, lookup func(string) (string, bool), stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("agent-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "0.0.0.0", "address to listen on")
	port := fs.Int("port", 8000, "port to listen on (0 picks a free port)")
	dataDir := fs.String("data-dir", "", "persistence directory (overrides OH_PERSISTENCE_DIR; default ~/.openhands)")
	memory := fs.Bool("memory", false, "keep everything in memory instead of the data directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	log := newLogger(lookup, stderr)

	cfg, err := server.ConfigFromLookupEnv(lookup, os.ReadFile)
	if err != nil {
		return err
	}
	if *dataDir != "" {
		cfg.DataDir = *dataDir
	}
	cfg.Logger = log
	if *memory {
		cfg.Store = store.NewMemory()
	} else {
		st, err := openFileStore(cfg.DataDir, log)
		if err != nil {
			return err
		}
		cfg.Store = st
	}
	defer cfg.Store.Close()

	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*host, fmt.Sprint(*port)))
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("agent-server started", "addr", ln.Addr().String(), "auth", len(cfg.SessionAPIKeys) > 0,
		"encryption", cfg.SecretKey != nil, "data_dir", dataDirForLog(cfg.DataDir, *memory))
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}

func dataDirForLog(dir string, memory bool) string {
	if memory {
		return "(memory)"
	}
	return dir
}

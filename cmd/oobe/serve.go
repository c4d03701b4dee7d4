package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gofrs/flock"
	flag "github.com/spf13/pflag"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/rpc"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/internal/records"
)

// KioskHeader names the kiosk a request to the server comes from: each kiosk gets a
// simulated device and cloud of its own.
const KioskHeader = "Oobe-Kiosk"

// rpcHandler serves the backend protocol at /v1/rpc, given the backend factory: every hello
// (a kiosk's program starting, the device powering on) gets a backend of its own.
var rpcHandler = func(newBackend func(*http.Request) (flow.Backend, error)) http.Handler {
	return rpc.NewHTTPHandler(func(r *http.Request, _ rpc.Hello) (flow.Backend, error) { return newBackend(r) }, rpc.HTTPServerOptions{})
}

// serveConfig is the command line of oobe serve-backend.
type serveConfig struct {
	listen, data, db, tokenFile string
	seed                        int64
	tenantConfig
}

// runServe is "oobe serve-backend": the lab's server. It stores the records kiosks post
// (exactly once per id) in SQLite or PostgreSQL, lists them, and runs the simulated backend
// of each connecting kiosk from the central scenario or tenant.
func runServe(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	var c serveConfig
	fs := flag.NewFlagSet("oobe serve-backend", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8750", "listen on `ADDR` (host:port; port 0 picks a free one)")
	fs.StringVar(&c.data, "data", "", "the server's data `DIR` (the SQLite database, the lock); required")
	fs.StringVar(&c.db, "db", "", "store the records in PostgreSQL at this postgres:// `URL` instead of DIR/records.db")
	fs.StringVar(&c.tokenFile, "token-file", "", "require the bearer token in `FILE` on every request but /v1/health")
	fs.Int64Var(&c.seed, "seed", 1, "seed of each kiosk's simulation")
	addTenantFlags(fs, &c.tenantConfig)
	fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "oobe serve-backend: %v (see oobe serve-backend --help)\n", err)
		return 2
	}
	if h, _ := fs.GetBool("help"); h {
		fmt.Fprint(stdout, "Usage: oobe serve-backend --data DIR [--listen ADDR] [--db postgres://…] [--scenario F | --tenant DIR]\n\n"+
			"The lab's server: stores the records kiosks send (POST /v1/records), lists them (GET /v1/records),\n"+
			"answers GET /v1/health and runs each kiosk's simulated backend at /v1/rpc (docs/records-api.md).\n\n"+
			"Flags (each can also be set with an OOBE_SERVE_<NAME> environment variable):\n"+fs.FlagUsages())
		return 0
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "oobe serve-backend: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		env := "OOBE_SERVE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(env); v != "" && !f.Changed && f.Name != "help" && envErr == nil {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("%s: %v", env, err)
			}
		}
	})
	if envErr != nil {
		fmt.Fprintf(stderr, "oobe serve-backend: %v\n", envErr)
		return 2
	}
	if c.data == "" {
		fmt.Fprintln(stderr, "oobe serve-backend: --data DIR is required (where the records and the lock are kept)")
		return 2
	}
	if c.db != "" && !records.IsPostgres(c.db) {
		fmt.Fprintf(stderr, "oobe serve-backend: --db must be a postgres:// or postgresql:// URL (SQLite is the default, in --data)\n")
		return 2
	}
	logger := log.New(stderr, "oobe serve-backend: ", log.LstdFlags)

	if err := os.MkdirAll(c.data, 0o700); err != nil {
		fmt.Fprintf(stderr, "oobe serve-backend: --data: %v\n", err)
		return 1
	}
	lock := flock.New(filepath.Join(c.data, "serve.lock"))
	locked, err := lock.TryLock()
	if err != nil {
		fmt.Fprintf(stderr, "oobe serve-backend: --data: locking %s: %v\n", lock.Path(), err)
		return 1
	}
	if !locked {
		fmt.Fprintf(stderr, "oobe serve-backend: another server is running on the data directory %s (%s is locked); stop it, or give another --data\n", c.data, lock.Path())
		return 1
	}
	defer lock.Unlock()

	world, ok := loadTenant(c.tenantConfig, stderr)
	if !ok {
		return 1
	}
	// a scenario's faults from power-on are the sim's; those @STEP are a run's (the kiosk's)
	if _, err := planFaults(world, nil); err != nil {
		fmt.Fprintf(stderr, "oobe serve-backend: scenario faults: %v\n", err)
		return 1
	}
	token := ""
	if c.tokenFile != "" {
		b, err := os.ReadFile(c.tokenFile)
		if err != nil {
			fmt.Fprintf(stderr, "oobe serve-backend: --token-file: %v\n", err)
			return 1
		}
		if token = strings.TrimSpace(string(b)); token == "" {
			fmt.Fprintf(stderr, "oobe serve-backend: --token-file: %s is empty\n", c.tokenFile)
			return 1
		}
	}

	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		fmt.Fprintf(stderr, "oobe serve-backend: --listen: %v\n", err)
		return 1
	}
	// The health check answers 503 from the first moment a connection is taken until the
	// store is open, and again once a shutdown began.
	dsn, where := c.db, "PostgreSQL "+redact(c.db)
	if dsn == "" {
		dsn = filepath.Join(c.data, "records.db")
		where = "SQLite " + dsn
	}
	var h *records.Handler
	ready := make(chan struct{})
	k := &kiosks{world: world, seed: c.seed}
	srv := &http.Server{
		Handler:           serverMux(token, func() *records.Handler { return h }, ready, k),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          logger,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	openCtx, cancel := context.WithTimeout(ctx, time.Minute)
	store, err := records.Open(openCtx, dsn)
	cancel()
	if err != nil {
		fmt.Fprintf(stderr, "oobe serve-backend: %s: %v\n", where, err)
		_ = srv.Close()
		return 1
	}
	h = records.NewHandler(store, token, logger)
	h.SetReady(true)
	close(ready)
	logger.Printf("listening on http://%s (records in %s)", ln.Addr(), where)

	code := 0
	select {
	case <-ctx.Done():
		logger.Printf("stopping: no new requests; finishing those in progress")
	case err := <-served:
		logger.Printf("serving: %v", err)
		code = 1
	}
	h.SetReady(false)
	shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		logger.Printf("shutdown: %v", err)
		code = 1
	}
	k.close()
	if err := store.Close(); err != nil {
		logger.Printf("closing the store: %v", err)
		code = 1
	}
	logger.Printf("stopped (%d records stored, %d posted again and acknowledged)", h.Stored.Load(), h.Duplicates.Load())
	return code
}

// serverMux routes /v1/rpc to the backend protocol (behind the bearer token) and the rest to
// the records handler once ready is closed (before, every request answers 503).
func serverMux(token string, handler func() *records.Handler, ready <-chan struct{}, k *kiosks) http.Handler {
	mux := http.NewServeMux()
	var rpc http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "oobe serve-backend: /v1/rpc (the backend protocol) is not in this build yet; /v1/records and /v1/health are", http.StatusNotImplemented)
	})
	if rpcHandler != nil {
		rpc = rpcHandler(k.session)
		if c, ok := rpc.(io.Closer); ok {
			k.closers = append(k.closers, c)
		}
	}
	mux.HandleFunc("/v1/rpc", func(w http.ResponseWriter, r *http.Request) {
		if !records.Authorized(r, token) {
			records.Unauthorized(w)
			return
		}
		rpc.ServeHTTP(w, r)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-ready:
			handler().ServeHTTP(w, r)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"error":"starting: the store is not open yet"}`+"\n")
		}
	})
	return mux
}

// redact is a database URL without its password.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// kiosks make the simulated backends of the kiosks that connect, each built from the
// server's scenario or tenant.
type kiosks struct {
	world   *sim.World
	seed    int64
	closers []io.Closer // the protocol's sessions, ended when the server stops
}

// session is the backend of one protocol session (a hello): a device powered on afresh from
// the server's scenario or tenant. A kiosk that names itself (KioskHeader) must name itself
// properly.
func (k *kiosks) session(r *http.Request) (flow.Backend, error) {
	if id := r.Header.Get(KioskHeader); id != "" && !validKiosk(id) {
		return nil, fmt.Errorf("the %s header must name the kiosk (1 to 200 printable characters)", KioskHeader)
	}
	return sim.New(k.world, sim.Options{Clock: flow.RealClock{}, Seed: k.seed}), nil
}

// close ends the protocol's sessions still open (their backends and streams).
func (k *kiosks) close() {
	for _, c := range k.closers {
		_ = c.Close()
	}
}

// validKiosk reports whether id names a kiosk: 1 to 200 printable characters.
func validKiosk(id string) bool {
	return id != "" && len(id) <= 200 && !strings.ContainsFunc(id, func(c rune) bool { return c < 0x20 || c == 0x7f })
}

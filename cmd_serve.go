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
	"strings"
	"syscall"
	"time"

	"callbacklab/content"
	"callbacklab/lessons"
	"callbacklab/server"
	"callbacklab/sim"
)

// serveConfig holds the flags of "callbacklab serve".
type serveConfig struct {
	addr        string
	idpAddr     string
	bookingAddr string
	workshop    workshopConfig
}

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address the web app listens on")
	fs.StringVar(&cfg.idpAddr, "idp-addr", "127.0.0.1:8081",
		"address the mock identity providers listen on (a different origin, as in real life)")
	fs.StringVar(&cfg.bookingAddr, "booking-addr", "127.0.0.1:8082",
		"address the mock book_ticket service listens on")
	cfg.workshop.register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: callbacklab serve [flags]\n\n"+
			"Serves the playground: the article, the lessons, the simulation and the diagrams.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError(err.Error())
	}
	if fs.NArg() > 0 {
		return usageError(fmt.Sprintf("serve takes no arguments, got %q", fs.Args()))
	}
	if cfg.workshop.on && !addrFlagSet(fs) {
		cfg.addr = workshopAddr
	}
	if err := cfg.distinct(); err != nil {
		return err
	}

	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	// Listen first, so that the simulation knows the origins the browser will use, also when
	// a port is chosen by the system (":0").
	web, err := listen(cfg.addr, "--addr", "127.0.0.1:8090")
	if err != nil {
		return err
	}
	defer web.Close()
	idps, err := listen(cfg.idpAddr, "--idp-addr", "127.0.0.1:8091")
	if err != nil {
		return err
	}
	defer idps.Close()
	book, err := listen(cfg.bookingAddr, "--booking-addr", "127.0.0.1:8092")
	if err != nil {
		return err
	}
	defer book.Close()

	// Build the web app and the simulated world behind it.
	all, err := lessons.All()
	if err != nil {
		return err
	}
	app, err := server.New(server.Config{
		Logger:   log,
		Article:  content.Article(),
		Lessons:  all,
		Progress: startLiveProgress(ctx, log),
	})
	if err != nil {
		return err
	}
	world, err := sim.New(sim.Config{
		WebOrigin:     originOf(web.Addr()),
		IDPOrigin:     originOf(idps.Addr()),
		BookingOrigin: originOf(book.Addr()),
	})
	if err != nil {
		return err
	}
	defer world.Close()
	app.MountSim(world)

	// The workshop starts, or fails to, before the playground is announced.
	if cfg.workshop.on {
		stop, err := startWorkshop(ctx, cfg.workshop, app, web.Addr(), all, stdout, log)
		if err != nil {
			return err
		}
		defer func() {
			if err := stop(); err != nil {
				log.Error("the workshop room could not be saved", "err", err)
			}
		}()
	}

	for _, ln := range []net.Listener{web, idps, book} {
		warnIfExposed(stderr, ln.Addr())
	}
	fmt.Fprintf(stdout, "callbacklab is serving the playground at %s\n", urlOf(web.Addr()))
	fmt.Fprintf(stdout, "The mock identity providers are at %s, book_ticket at %s.\n",
		urlOf(idps.Addr()), urlOf(book.Addr()))
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")

	return serveUntilDone(ctx, log,
		served{web, app}, served{idps, world.IDP()}, served{book, world.Booking()})
}

// distinct refuses two services on one address, which would otherwise fail as if another
// program held it.
func (c serveConfig) distinct() error {
	addrs := []struct{ flag, addr string }{
		{"--addr", c.addr}, {"--idp-addr", c.idpAddr}, {"--booking-addr", c.bookingAddr},
	}
	for i, a := range addrs {
		for _, b := range addrs[i+1:] {
			if a.addr == b.addr && !strings.HasSuffix(a.addr, ":0") {
				return usageError(fmt.Sprintf("%s and %s are both %s; "+
					"each service needs its own port", a.flag, b.flag, a.addr))
			}
		}
	}
	return nil
}

// listen opens a TCP listener for one of serve's addresses, with a hint when it is taken.
func listen(addr, flagName, other string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("cannot listen on %s: it is in use "+
			"(is another callbacklab running? try %s %s)", addr, flagName, other)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w (%s takes host:port, such as %s)",
			addr, err, flagName, other)
	}
	return ln, nil
}

// served is one listener and the handler that answers on it.
type served struct {
	ln net.Listener
	h  http.Handler
}

// serveUntilDone serves every listener until ctx is done or one of them fails, then shuts
// them all down gracefully.
func serveUntilDone(ctx context.Context, log *slog.Logger, all ...served) error {
	errc := make(chan error, len(all))
	var servers []*http.Server
	for _, s := range all {
		// No write timeout: the live pages hold event streams open. Reads and idle
		// connections are bounded, so a slow or silent client cannot hold one forever.
		srv := &http.Server{
			Handler:           s.h,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			IdleTimeout:       2 * time.Minute,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
			BaseContext:       func(net.Listener) context.Context { return ctx },
		}
		servers = append(servers, srv)
		go func() { errc <- srv.Serve(s.ln) }()
	}

	var first error
	select {
	case first = <-errc:
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdown); err != nil && first == nil {
			first = fmt.Errorf("shutting down: %w", err)
		}
	}
	if errors.Is(first, http.ErrServerClosed) {
		return nil
	}
	return first
}

// originOf returns the origin ("http://host:port") a browser uses for a listener's address.
func originOf(a net.Addr) string {
	return strings.TrimSuffix(urlOf(a), "/")
}

// urlOf returns the URL a browser opens for a listener's address.
func urlOf(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String() + "/"
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return fmt.Sprintf("http://%s/", net.JoinHostPort(host, fmt.Sprint(tcp.Port)))
}

// warnIfExposed warns, loudly, when a listener can be reached from other machines.
func warnIfExposed(stderr io.Writer, a net.Addr) {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP.IsLoopback() {
		return
	}
	fmt.Fprintf(stderr, "\n  WARNING: callbacklab is listening on %s, "+
		"which other machines can reach.\n"+
		"  Anyone on your network can use the playground and its mock sign-in.\n"+
		"  Use --addr 127.0.0.1:PORT to keep it on this machine.\n\n", a)
}

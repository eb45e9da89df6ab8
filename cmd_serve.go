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
	"time"

	"callbacklab/content"
	"callbacklab/lessons"
	"callbacklab/server"
)

// serveConfig holds the flags of "callbacklab serve".
type serveConfig struct {
	addr string
}

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address the web app listens on")
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

	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	all, err := lessons.All()
	if err != nil {
		return err
	}
	app, err := server.New(server.Config{Logger: log, Article: content.Article(), Lessons: all})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w "+
			"(is another callbacklab running? try --addr 127.0.0.1:8090)", cfg.addr, err)
	}
	warnIfExposed(stderr, ln.Addr())
	fmt.Fprintf(stdout, "callbacklab is serving the playground at %s\n", urlOf(ln.Addr()))
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")

	return serveUntilDone(ctx, ln, app, log)
}

// serveUntilDone serves h on ln until ctx is done, then shuts down gracefully.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
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

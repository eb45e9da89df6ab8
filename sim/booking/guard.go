package booking

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"
)

// ErrBlockedAddress is wrapped by every refusal of a [Guard].
var ErrBlockedAddress = errors.New("booking: callback address is not allowed")

// Guard keeps callbacks away from internal addresses (SSRF protection). It
// refuses private, loopback, link-local (including cloud metadata at
// 169.254.169.254), unspecified, multicast, IPv4-mapped and other special
// addresses, except the exact address and port pairs on Allow. The zero
// Guard refuses every such address.
type Guard struct {
	// Allow lists sandbox addresses that may be called even though they are
	// internal, such as the playground's own 127.0.0.1:8080. A port of 0
	// allows every port of that address.
	Allow []netip.AddrPort
}

// blockedPrefixes are special-purpose ranges that net/netip has no method
// for.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64, which can embed any IPv4
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
	netip.MustParsePrefix("2002::/16"),       // 6to4, which embeds IPv4
	netip.MustParsePrefix("2001::/32"),       // Teredo, which embeds IPv4
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
}

// CheckAddr reports whether a connection to ap is allowed.
func (g Guard) CheckAddr(ap netip.AddrPort) error {
	for _, a := range g.Allow {
		if a.Addr() == ap.Addr() && (a.Port() == 0 || a.Port() == ap.Port()) {
			return nil
		}
	}
	ip := ap.Addr()
	why := ""
	switch {
	case !ip.IsValid():
		why = "not an IP address"
	case ip.Is4In6():
		why = "an IPv4-mapped IPv6 address"
	case ip.IsUnspecified():
		why = "the unspecified address"
	case ip.IsLoopback():
		why = "a loopback address"
	case ip.IsLinkLocalUnicast():
		why = "a link-local address (cloud metadata lives there)"
	case ip.IsPrivate():
		why = "a private address"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		why = "a multicast address"
	default:
		for _, p := range blockedPrefixes {
			if p.Contains(ip) {
				why = "a special-purpose address (" + p.String() + ")"
			}
		}
	}
	if why == "" {
		return nil
	}
	return fmt.Errorf("%w: %s is %s", ErrBlockedAddress, ap, why)
}

// CheckURL checks a callback URL when it is registered: the scheme must be
// http or https, the host present, no user information, and a host written
// as an IP address (or "localhost") must pass [Guard.CheckAddr]. Host names
// are checked again when they are dialled, by [Guard.Control].
func (g Guard) CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("booking: callback URL does not parse")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("booking: callback URL scheme must be http or https, not %q",
			u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, errors.New("booking: callback URL has no host")
	}
	if u.User != nil {
		return nil, errors.New("booking: callback URL must not carry a user name or password")
	}
	if u.Fragment != "" {
		return nil, errors.New("booking: callback URL must not have a fragment")
	}

	// Check the host now when it is an address; names are checked on dial.
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return u, nil
	}
	if err := g.CheckAddr(netip.AddrPortFrom(ip, portOf(u))); err != nil {
		return nil, err
	}
	return u, nil
}

// portOf returns the port of a URL, filling in the scheme's default.
func portOf(u *url.URL) uint16 {
	var p uint16
	if _, err := fmt.Sscan(u.Port(), &p); err == nil {
		return p
	}
	if u.Scheme == "https" {
		return 443
	}
	return 80
}

// Control is a [net.Dialer] Control function: it runs after the name has
// been resolved and before connecting, so it sees the real address and
// defeats DNS tricks that point a harmless name at an internal address.
func (g Guard) Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot read %s address %q", ErrBlockedAddress, network, address)
	}
	return g.CheckAddr(ap)
}

// Client returns an [http.Client] for sending callbacks: its dialer enforces
// the guard, it uses no proxy, it never follows redirects (the 3xx response
// is returned as is) and each request times out after timeout.
func (g Guard) Client(timeout time.Duration) *http.Client {
	g.Allow = slices.Clone(g.Allow)
	dialer := &net.Dialer{Timeout: timeout, Control: g.Control}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			MaxIdleConnsPerHost:   64,
			MaxConnsPerHost:       64, // bounds sockets when thousands of callbacks are due
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: timeout,
		},
		CheckRedirect: NoRedirects,
		Timeout:       timeout,
	}
}

// NoRedirects is an [http.Client] CheckRedirect function that returns the
// redirect response itself instead of following it.
func NoRedirects(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}

package sending

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrForbiddenAddress is wrapped by every refusal of a callback URL or address that points
// inside the sender's own network.
var ErrForbiddenAddress = errors.New("sending: callback address is internal")

// CheckAddr returns an error wrapping [ErrForbiddenAddress] when ip is one a callback must
// never reach: loopback, private, link-local (where cloud metadata lives), unspecified,
// multicast, carrier-grade NAT (100.64.0.0/10), or an IPv4 address written as IPv6
// ("::ffff:127.0.0.1").
func CheckAddr(ip netip.Addr) error {
	why := ""
	switch {
	case !ip.IsValid():
		why = "not an IP address"
	case ip.Is4In6():
		why = "an IPv4 address written as IPv6"
	case ip.IsUnspecified():
		why = "the unspecified address"
	case ip.IsLoopback():
		why = "a loopback address"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		why = "a link-local address"
	case ip.IsPrivate():
		why = "a private address"
	case ip.IsMulticast():
		why = "a multicast address"
	case netip.MustParsePrefix("100.64.0.0/10").Contains(ip):
		why = "a carrier-grade NAT address"
	}
	if why == "" {
		return nil
	}
	return fmt.Errorf("%w: %s is %s", ErrForbiddenAddress, ip, why)
}

// CheckURL checks a callback URL before anything is sent to it: the scheme must be http or
// https, the host present, and no user name or password given. A host written as an IP
// address, and "localhost" or a name under ".localhost", must pass [CheckAddr]. Other host
// names are checked when they are dialled, by [Control]. Refusals of an address wrap
// [ErrForbiddenAddress].
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("sending: callback URL does not parse")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("sending: callback URL scheme must be http or https, not %q", u.Scheme)
	}
	if u.Hostname() == "" {
		return errors.New("sending: callback URL has no host")
	}
	if u.User != nil {
		return errors.New("sending: callback URL must not carry a user name or password")
	}

	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return fmt.Errorf("%w: %s is a loopback name", ErrForbiddenAddress, host)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return nil // a name: Control checks the address it resolves to
	}
	return CheckAddr(ip)
}

// Control is a [net.Dialer] Control function. The dialer calls it after the host name has
// been resolved and before connecting, with the real address, so a name that resolves to an
// internal address is refused too.
func Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot read %s address %q", ErrForbiddenAddress, network, address)
	}
	return CheckAddr(ap.Addr())
}

// GuardedClient returns an [http.Client] for sending callbacks: its dialer refuses internal
// addresses through [Control], it uses no proxy, and it does not follow redirects.
func GuardedClient() *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: Control}
	return &http.Client{
		Transport: &http.Transport{Proxy: nil, DialContext: dialer.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

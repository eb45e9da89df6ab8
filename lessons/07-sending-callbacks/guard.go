package sending

import (
	"errors"
	"net/http"
	"net/netip"
	"syscall"
)

// ErrForbiddenAddress is wrapped by every refusal of a callback URL or address that points
// inside the sender's own network.
var ErrForbiddenAddress = errors.New("sending: callback address is internal")

// CheckAddr returns an error wrapping [ErrForbiddenAddress] when ip is one a callback must
// never reach: loopback, private, link-local (where cloud metadata lives), unspecified,
// multicast, carrier-grade NAT (100.64.0.0/10), or an IPv4 address written as IPv6
// ("::ffff:127.0.0.1").
func CheckAddr(ip netip.Addr) error {
	// Your code here: netip.Addr has methods such as IsLoopback and IsPrivate.
	return nil
}

// CheckURL checks a callback URL before anything is sent to it: the scheme must be http or
// https, the host present, and no user name or password given. A host written as an IP
// address, and "localhost" or a name under ".localhost", must pass [CheckAddr]. Other host
// names are checked when they are dialled, by [Control]. Refusals of an address wrap
// [ErrForbiddenAddress].
func CheckURL(raw string) error {
	// Your code here: parse with net/url, check the parts, and check literal addresses.
	return nil
}

// Control is a [net.Dialer] Control function. The dialer calls it after the host name has
// been resolved and before connecting, with the real address, so a name that resolves to an
// internal address is refused too.
func Control(network, address string, _ syscall.RawConn) error {
	// Your code here: address is "ip:port"; netip.ParseAddrPort reads it.
	return nil
}

// GuardedClient returns an [http.Client] for sending callbacks: its dialer refuses internal
// addresses through [Control], it uses no proxy, and it does not follow redirects.
func GuardedClient() *http.Client {
	// Your code here: a net.Dialer with Control, an http.Transport with its DialContext and
	// no proxy, and a CheckRedirect that returns http.ErrUseLastResponse.
	return &http.Client{}
}

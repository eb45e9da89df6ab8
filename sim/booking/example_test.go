package booking_test

import (
	"fmt"
	"net/netip"
	"time"

	"callbacklab/sim/booking"
)

// The known answer of the Standard Webhooks specification.
func ExampleSigner() {
	s, err := booking.NewSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0),
		[]byte(`{"test": 2432232314}`)))
	// Output: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
}

// A guard that lets the playground call itself back, and nothing else
// internal.
func ExampleGuard_CheckURL() {
	g := booking.Guard{Allow: []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:8080")}}
	for _, u := range []string{
		"http://127.0.0.1:8080/booking/callback",
		"http://169.254.169.254/latest/meta-data/",
		"file:///etc/passwd",
	} {
		if _, err := g.CheckURL(u); err != nil {
			fmt.Println("refused:", err)
			continue
		}
		fmt.Println("allowed:", u)
	}
	// Output:
	// allowed: http://127.0.0.1:8080/booking/callback
	// refused: booking: callback address is not allowed: 169.254.169.254:80 is a link-local address (cloud metadata lives there)
	// refused: booking: callback URL scheme must be http or https, not "file"
}

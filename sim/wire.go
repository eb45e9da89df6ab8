package sim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"

	"callbacklab/sim/booking"
	"callbacklab/sim/idp"
	"callbacklab/sim/trace"
	"callbacklab/sim/travel"
)

// buildIDP makes both identity providers with the travel site registered.
func (w *World) buildIDP(clientSecret string) error {
	redirect := []string{w.cfg.WebOrigin + "/auth/callback"}
	s, err := idp.New(idp.Config{
		BaseURL: w.cfg.IDPOrigin, Now: w.cfg.Now, Rand: w.cfg.Rand, Keys: w.cfg.Keys,
		Clients: []idp.Client{
			{Provider: idp.Google, ID: travelClientID, Secret: clientSecret, Name: travelName,
				RedirectURIs: redirect},
			{Provider: idp.Facebook, ID: travelClientID, Secret: clientSecret,
				Name: travelName, RedirectURIs: redirect},
		},
	})
	if err != nil {
		return err
	}
	w.idp = s
	w.idpH = w.rec.Middleware(idpParticipant, trace.MiddlewareOptions{})(
		allowFraming(w.cfg.WebOrigin, w.forgeIDTokens(s)))
	return nil
}

// buildBooking makes book_ticket with the travel site as its client. Its
// callbacks go through the guarded dialer, or in memory.
func (w *World) buildBooking(secret, token string) error {
	guard := booking.Guard{Allow: w.cfg.Allow}
	base := w.base
	if !w.cfg.InMemory {
		base = guard.Client(w.cfg.Policy.Timeout).Transport
	}
	client := &http.Client{
		Transport:     w.rec.Transport(trace.Booking, w.namer, base),
		CheckRedirect: booking.NoRedirects,
	}
	s, err := booking.New(booking.Config{
		Clients: []booking.Client{{
			ID: bookingClient, Token: token, Origins: []string{w.cfg.WebOrigin}, Secret: secret,
		}},
		Now: w.cfg.Now, Rand: w.cfg.Rand, Delay: w.cfg.BookingDelay, Guard: guard,
		HTTPClient: client, Policy: w.cfg.Policy,
	})
	if err != nil {
		return err
	}
	w.booking = s
	w.bookingH = w.rec.Middleware(trace.Fixed(trace.Booking), trace.MiddlewareOptions{})(s)
	return nil
}

// buildTravel makes the travel site, registered with both providers and
// book_ticket.
func (w *World) buildTravel(secret, token, clientSecret string) error {
	s, err := travel.New(travel.Config{
		Origin: w.cfg.WebOrigin,
		Providers: []travel.Provider{
			{Name: idp.Google, Label: "Google (mock)", Issuer: w.idp.Issuer(idp.Google),
				Endpoint: w.idp.Endpoint(idp.Google), ClientID: travelClientID,
				ClientSecret: clientSecret, Scopes: []string{"openid", "email", "profile"}},
			{Name: idp.Facebook, Label: "Facebook (mock)",
				ProfileURL: w.idp.UserinfoURL(idp.Facebook), Endpoint: w.idp.Endpoint(idp.Facebook),
				ClientID: travelClientID, ClientSecret: clientSecret,
				Scopes: []string{"public_profile", "email"}},
		},
		BookingURL: w.cfg.BookingOrigin, BookingToken: token, WebhookSecret: secret,
		HTTPClient: &http.Client{Transport: w.rec.Transport(trace.Travel, w.namer, w.base)},
		Now:        w.cfg.Now, Rand: w.cfg.Rand,
		CallbackURL: w.callbackURL, OnBooked: w.onBooked,
	})
	if err != nil {
		return err
	}
	w.site = s
	w.travelH = w.rec.Middleware(trace.Fixed(trace.Travel),
		trace.MiddlewareOptions{StartJourneys: true})(s)
	return nil
}

// forgeIDTokens wraps the providers: while the forged-ID-token scenario is
// on, it changes the claims of every ID token that Google (mock)'s token
// endpoint returns, keeping the old signature, as an attacker on the
// network might. The travel site must notice that the signature no longer
// matches.
func (w *World) forgeIDTokens(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if w.Scenario() != ForgedIDToken || r.URL.Path != "/google/token" {
			next.ServeHTTP(rw, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var tok map[string]any
		if json.Unmarshal(body, &tok) == nil {
			if raw, ok := tok["id_token"].(string); ok {
				tok["id_token"] = forge(raw)
				body, _ = json.Marshal(tok)
			}
		}
		for k, v := range rec.Header() {
			rw.Header()[k] = v
		}
		rw.Header().Del("Content-Length")
		rw.WriteHeader(rec.Code)
		_, _ = rw.Write(body)
	})
}

// forge rewrites the payload of a JWT to claim to be someone else.
func forge(jwt string) string {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return jwt
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return jwt
	}
	var claims map[string]any
	if json.Unmarshal(payload, &claims) != nil {
		return jwt
	}
	claims["sub"], claims["name"], claims["email"] = "1", "Mallory Admin", "admin@example.com"
	payload, _ = json.Marshal(claims)
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}

// callbackURL is the callback URL the travel site sends to book_ticket.
func (w *World) callbackURL() string {
	if w.Scenario() == InternalCallbackURL {
		return "http://169.254.169.254/latest/meta-data/"
	}
	return w.cfg.WebOrigin + "/booking/callback"
}

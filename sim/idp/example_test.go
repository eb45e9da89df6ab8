package idp_test

import (
	"encoding/json"
	"fmt"
	"net/http"

	"callbacklab/sim/idp"
)

// The travel site registers with Google (mock); callbacklab serve runs the
// result on --idp-addr.
func ExampleNew() {
	s, err := idp.New(idp.Config{
		BaseURL: "http://127.0.0.1:8081",
		Clients: []idp.Client{{
			Provider:     idp.Google,
			ID:           "travel",
			Secret:       "travel-secret",
			Name:         "Callback Travel",
			RedirectURIs: []string{"http://127.0.0.1:8080/auth/callback"},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Issuer(idp.Google))
	fmt.Println(s.Endpoint(idp.Google).AuthURL)
	fmt.Println(s.Endpoint(idp.Facebook).TokenURL)
	fmt.Println(s.UserinfoURL(idp.Facebook))
	// Output:
	// http://127.0.0.1:8081/google
	// http://127.0.0.1:8081/google/authorize
	// http://127.0.0.1:8081/facebook/oauth/access_token
	// http://127.0.0.1:8081/facebook/me
}

// A client reads the discovery document without a network.
func ExampleInMemoryTransport() {
	s, err := idp.New(idp.Config{BaseURL: "http://127.0.0.1:8081"})
	if err != nil {
		fmt.Println(err)
		return
	}
	client := &http.Client{Transport: idp.InMemoryTransport(s)}
	resp, err := client.Get("http://127.0.0.1:8081/google/.well-known/openid-configuration")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var doc struct {
		Issuer string   `json:"issuer"`
		Algs   []string `json:"id_token_signing_alg_values_supported"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.StatusCode, doc.Issuer, doc.Algs)
	// Output: 200 http://127.0.0.1:8081/google [RS256]
}

// A control panel lists the quirks and switches one on.
func ExampleServer_SetQuirks() {
	s, err := idp.New(idp.Config{BaseURL: "http://127.0.0.1:8081"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, sw := range idp.QuirkSwitches()[:2] {
		fmt.Printf("%s: %s\n", sw.Name, sw.Doc)
	}

	q := s.Quirks(idp.Google)
	if err := q.Set("ExpiresInAsString", 1); err != nil {
		fmt.Println(err)
		return
	}
	s.SetQuirks(idp.Google, q)
	fmt.Println(s.Quirks(idp.Google).ExpiresInAsString, s.Quirks(idp.Facebook).ExpiresInAsString)
	// Output:
	// ExpiresInAsString: Sends expires_in as a JSON string such as "3600".
	// TokenResponseAsTextPlain: Sends token responses as text/plain.
	// true false
}

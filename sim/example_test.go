package sim_test

import (
	"fmt"
	"io"
	"net/http"

	"callbacklab/sim"
)

// InMemory serves requests with handlers chosen by host, with no network.
func ExampleInMemory() {
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s", r.Host)
	})
	client := &http.Client{Transport: sim.InMemory(map[string]http.Handler{
		"127.0.0.1:8082": hello,
	})}
	res, err := client.Get("http://127.0.0.1:8082/bookings")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Println(res.StatusCode, string(body))

	_, err = client.Get("http://127.0.0.1:9999/")
	fmt.Println(err != nil)
	// Output:
	// 200 hello from 127.0.0.1:8082
	// true
}

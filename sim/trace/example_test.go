package trace_test

import (
	"fmt"

	"callbacklab/sim/trace"
)

func ExampleJourney_Mermaid() {
	j := trace.Journey{ID: "j1", Hops: []trace.Hop{
		{From: trace.Travel, To: trace.Booking, Method: "POST", Path: "/bookings", Status: 202},
		{From: trace.Booking, To: trace.Travel, Method: "POST", Path: "/booking/callback",
			Status: 204},
	}}
	fmt.Print(string(j.Mermaid()))
	// Output:
	// sequenceDiagram
	//     participant Travel as Travel site
	//     participant Booking as book_ticket
	//     Travel->>Booking: POST /bookings
	//     Booking-->>Travel: 202 Accepted
	//     Booking->>Travel: POST /booking/callback
	//     Travel-->>Booking: 204 No Content
}

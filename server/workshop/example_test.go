package workshop_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"

	"callbacklab/server/workshop"
)

// A learner's command joins the workshop and shares a status. In the callbacklab command,
// "watch" calls Report on every change and runs Run in the background instead of Send.
func ExampleReporter() {
	room := workshop.NewRoom([]workshop.Lesson{{Number: 1, Title: "First callbacks", Hints: 3}},
		nil)
	h := workshop.NewHandler(workshop.Config{Room: room})
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	_, _ = room.Unlock(1, "hint")

	rep, err := workshop.NewReporter(srv.URL, room.Code(), "Ada", srv.Client(),
		workshop.WithCredentialsFile(""))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if err := rep.Join(ctx); err != nil {
		fmt.Println(err)
		return
	}
	err = rep.Send(ctx, workshop.Status{Lessons: []workshop.LessonStatus{
		{Lesson: 1, State: workshop.StateFailing, FirstFailing: "TestGreet"},
	}})
	fmt.Println("sent:", err == nil)
	fmt.Println("hints unlocked for lesson 1:", rep.Unlocked().For(1).Hints)
	fmt.Println("stuck:", room.View().Stuck[0].Count, "on", room.View().Stuck[0].Test)
	// Output:
	// sent: true
	// hints unlocked for lesson 1: 1
	// stuck: 1 on TestGreet
}

// Disclosure is what a learner reads when joining.
func ExampleDisclosure() {
	fmt.Fprint(os.Stdout, workshop.Disclosure("Ada", "http://192.168.1.20:8080"))
	// Output:
	// Joining the workshop at http://192.168.1.20:8080 as "Ada".
	// Shared with the instructor, for each lesson you run: its number, its state
	// (done, failing, does not compile, timed out), the name of the first failing test
	// and when it ran. Never shared: your code, file paths, test output or anything
	// else on your machine. Stop sharing with Ctrl-C, or run without --join.
}

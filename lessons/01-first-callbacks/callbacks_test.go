package callbacks

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lisbonPorto is a complete, valid booking form.
var lisbonPorto = Booking{
	Name: "Ana Silva", Email: "ana@example.com", Phone: "+351 912 345 678",
	From: "Lisbon", To: "Porto", Date: "2026-12-24", Time: "08:15", TicketType: "standard",
}

// describe quotes a booking the way the failure messages show it.
func describe(b Booking) string {
	return fmt.Sprintf("{name: %q, email: %q, from: %q, to: %q, date: %q}",
		b.Name, b.Email, b.From, b.To, b.Date)
}

// run calls f and turns a panic into a test failure that names what panicked.
func run(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s panicked: %v\nFix the panic first: a callback API must not crash its caller.",
				what, r)
		}
	}()
	f()
}

// goName returns the Go name of one of the lesson's errors, as a learner writes it in code.
func goName(err error) string {
	switch err {
	case ErrMissingField:
		return "ErrMissingField"
	case ErrSameStation:
		return "ErrSameStation"
	}
	return fmt.Sprintf("%q", err)
}

// tallyProblem names the likely mistake behind counts returning (confirmed, failed) instead
// of (wantOK, wantBad).
func tallyProblem(confirmed, failed, wantOK, wantBad int) string {
	switch sum := confirmed + failed; {
	case confirmed == 0 && failed == 0:
		return "counts sees none of what record counted: both closures must share the " +
			"same counters, declared in Tally outside the two closures"
	case sum > wantOK+wantBad:
		return "some outcomes were counted twice: each call to record counts exactly one " +
			"outcome, as confirmed when err is nil and as failed otherwise (did you forget a " +
			"return or an else?)"
	case sum == wantOK+wantBad:
		return "every outcome was counted, but some as the wrong kind: a nil error is a " +
			"confirmation, a non-nil error a failure (and counts returns confirmed first)"
	}
	return "some outcomes were not counted: record must count every call, confirmed when " +
		"err is nil and failed otherwise"
}

func TestNewIDSource(t *testing.T) {
	t.Parallel()

	t.Run("counts_from_one", func(t *testing.T) {
		t.Parallel()
		var got []string
		run(t, `NewIDSource("BK")`, func() {
			next := NewIDSource("BK")
			require.NotNil(t, next, `NewIDSource("BK") returned nil; it must return a function`)
			for range 3 {
				got = append(got, next())
			}
		})
		assert.Equal(t, []string{"BK-1", "BK-2", "BK-3"}, got,
			`calling the function from NewIDSource("BK") three times must give "BK-1", "BK-2", `+
				`"BK-3": the closure has to remember how many ids it handed out`)
	})

	t.Run("sources_count_separately", func(t *testing.T) {
		t.Parallel()
		var gotTrain, gotBus string
		run(t, "NewIDSource", func() {
			train, bus := NewIDSource("TR"), NewIDSource("BUS")
			require.NotNil(t, train, `NewIDSource("TR") returned nil; it must return a function`)
			require.NotNil(t, bus, `NewIDSource("BUS") returned nil; it must return a function`)
			train()
			train()
			gotTrain, gotBus = train(), bus()
		})
		assert.Equal(t, "TR-3", gotTrain,
			`after two ids from NewIDSource("TR"), the third must be "TR-3"`)
		assert.Equal(t, "BUS-1", gotBus,
			`the first id from a new NewIDSource("BUS") must be "BUS-1", whatever other sources `+
				`did: keep the counter inside NewIDSource, not in a package variable`)
	})
}

func TestBookTicket(t *testing.T) {
	t.Parallel()

	withEmpty := func(field string) Booking {
		b := lisbonPorto
		switch field {
		case "name":
			b.Name = ""
		case "email":
			b.Email = ""
		case "from":
			b.From = ""
		case "to":
			b.To = ""
		case "date":
			b.Date = ""
		}
		return b
	}
	sameStation := lisbonPorto
	sameStation.To = "Lisbon"
	noPhone := lisbonPorto
	noPhone.Phone, noPhone.Time, noPhone.TicketType = "", "", ""

	tests := []struct {
		name    string
		booking Booking
		wantErr error  // nil when the booking must be confirmed
		mention string // a word the error must contain
	}{
		{name: "valid_booking", booking: lisbonPorto},
		{name: "optional_fields_empty", booking: noPhone},
		{name: "missing_name", booking: withEmpty("name"), wantErr: ErrMissingField, mention: "name"},
		{name: "missing_email", booking: withEmpty("email"), wantErr: ErrMissingField,
			mention: "email"},
		{name: "missing_from", booking: withEmpty("from"), wantErr: ErrMissingField, mention: "from"},
		{name: "missing_to", booking: withEmpty("to"), wantErr: ErrMissingField, mention: "to"},
		{name: "missing_date", booking: withEmpty("date"), wantErr: ErrMissingField, mention: "date"},
		{name: "same_station", booking: sameStation, wantErr: ErrSameStation, mention: "Lisbon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := describe(tt.booking)

			var (
				calls   int
				gotConf Confirmation
				gotErr  error
				idsUsed int
			)
			nextID := func() string { idsUsed++; return "BK-7" }
			run(t, "BookTicket", func() {
				BookTicket(tt.booking, nextID, func(c Confirmation, err error) {
					calls++
					gotConf, gotErr = c, err
				})
			})

			require.NotZero(t, calls, "BookTicket never called done for booking %s; "+
				"it must call done exactly once, with a Confirmation or an error", in)
			require.Equal(t, 1, calls, "BookTicket must call done exactly once; "+
				"it was called %d times for booking %s (did you forget a return?)", calls, in)

			if tt.wantErr == nil {
				require.NoError(t, gotErr, "booking %s is valid, so done must get a nil error", in)
				assert.Equal(t, Confirmation{ID: "BK-7", Booking: tt.booking}, gotConf,
					"done must get a Confirmation with the id from nextID (here \"BK-7\") "+
						"and the booking itself, for booking %s", in)
				assert.Equal(t, 1, idsUsed, "BookTicket must call nextID exactly once "+
					"for a valid booking; it called it %d times for %s", idsUsed, in)
				return
			}
			require.Error(t, gotErr, "booking %s is invalid, so done must get an error", in)
			assert.ErrorIs(t, gotErr, tt.wantErr, "for booking %s the error must wrap %s "+
				"(use fmt.Errorf(\"%%w: ...\", %s, ...)); got %q", in, goName(tt.wantErr),
				goName(tt.wantErr), gotErr)
			assert.Contains(t, gotErr.Error(), tt.mention, "for booking %s the error must "+
				"say which field or station is wrong (%q); got %q", in, tt.mention, gotErr)
			assert.Zero(t, gotConf, "for rejected booking %s done must get an empty "+
				"Confirmation; got %+v", in, gotConf)
			assert.Zero(t, idsUsed, "BookTicket must not use up a booking id (call nextID) "+
				"for rejected booking %s; it called nextID %d times", in, idsUsed)
		})
	}
}

func TestTally(t *testing.T) {
	t.Parallel()

	outcomes := []struct {
		conf Confirmation
		err  error
	}{
		{Confirmation{ID: "BK-1", Booking: lisbonPorto}, nil},
		{Confirmation{}, fmt.Errorf("%w: email", ErrMissingField)},
		{Confirmation{ID: "BK-2", Booking: lisbonPorto}, nil},
		{Confirmation{}, ErrSameStation},
		{Confirmation{ID: "BK-3", Booking: lisbonPorto}, nil},
	}

	var (
		confirmed, failed int
		freshOK, freshBad int
	)
	run(t, "Tally", func() {
		record, counts := Tally()
		require.NotNil(t, record, "Tally returned a nil record function")
		require.NotNil(t, counts, "Tally returned a nil counts function")
		for _, o := range outcomes {
			record(o.conf, o.err)
		}
		confirmed, failed = counts()

		_, freshCounts := Tally()
		require.NotNil(t, freshCounts, "Tally returned a nil counts function")
		freshOK, freshBad = freshCounts()
	})

	assert.Equal(t, [2]int{3, 2}, [2]int{confirmed, failed}, "after record got 3 confirmations "+
		"and 2 errors, counts must return (3, 2) as (confirmed, failed); it returned (%d, %d): %s",
		confirmed, failed, tallyProblem(confirmed, failed, 3, 2))
	assert.Equal(t, [2]int{0, 0}, [2]int{freshOK, freshBad}, "a new Tally must start at (0, 0), "+
		"whatever earlier tallies recorded")
}

package travel

import (
	"time"
	"unicode"

	"callbacklab/sim/booking"
)

// maxAhead is how far ahead a trip may be booked.
const maxAheadYears = 2

// checkForm applies book_ticket's rules to the booking form, and a few of
// the site's own: no control, format or bidi-override characters in any
// field (they can make a name read differently from what it is), and a
// date from today to two years ahead. It returns at most one error per
// field, in the form's order.
func checkForm(req booking.Request, now time.Time) []booking.FieldError {
	errs := req.Validate(now)
	bad := map[string]bool{}
	for _, e := range errs {
		bad[e.Field] = true
	}
	add := func(field, msg string) {
		if !bad[field] {
			bad[field] = true
			errs = append(errs, booking.FieldError{Field: field, Message: msg})
		}
	}
	for _, f := range []struct{ name, value string }{
		{"name", req.Name}, {"email", req.Email}, {"phone", req.Phone}, {"from", req.From},
		{"to", req.To}, {"date", req.Date}, {"time", req.Time}, {"ticket_type", req.TicketType},
	} {
		if hasHiddenChars(f.value) {
			add(f.name, f.name+" must not contain control, invisible or text-direction "+
				"characters; type it again by hand")
		}
	}
	if d, err := time.Parse(time.DateOnly, req.Date); err == nil {
		y, m, dd := now.Date()
		last := time.Date(y+maxAheadYears, m, dd, 0, 0, 0, 0, time.UTC)
		if d.After(last) {
			add("date", "date must be at most two years ahead, on or before "+
				last.Format(time.DateOnly))
		}
	}
	return errs
}

// hasHiddenChars reports whether s holds a control character (such as ESC)
// or a format character (zero-width spaces and joiners, bidi overrides
// such as U+202E).
func hasHiddenChars(s string) bool {
	for _, c := range s {
		if unicode.IsControl(c) || unicode.Is(unicode.Cf, c) {
			return true
		}
	}
	return false
}

package booking

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Request is the body of POST /bookings.
type Request struct {
	Name        string `json:"name"`
	Email       string `json:"email"`
	Phone       string `json:"phone"`
	From        string `json:"from"`
	To          string `json:"to"`
	Date        string `json:"date"`        // YYYY-MM-DD
	Time        string `json:"time"`        // HH:MM, 24-hour
	TicketType  string `json:"ticket_type"` // economy, business or first
	CallbackURL string `json:"callback_url"`
}

// FieldError is the complaint about one field of a [Request].
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// TicketTypes are the accepted ticket types.
func TicketTypes() []string { return []string{"economy", "business", "first"} }

// Validate checks every field except callback_url, which needs the caller's
// registration, and returns one message per bad field, in the order of the
// form. today is the date bookings may start from.
func (r Request) Validate(today time.Time) []FieldError {
	var errs []FieldError
	bad := func(field, msg string) { errs = append(errs, FieldError{field, msg}) }

	if msg := text(r.Name, 100); msg != "" {
		bad("name", "name "+msg)
	}
	if a, err := mail.ParseAddress(r.Email); err != nil || a.Name != "" || a.Address != r.Email {
		bad("email", "email must be an address such as alice@example.com")
	}
	if !phone(r.Phone) {
		bad("phone", "phone must have 6 to 15 digits, optionally with +, spaces, dashes "+
			"or brackets")
	}
	if msg := text(r.From, 60); msg != "" {
		bad("from", "from "+msg)
	}
	if msg := text(r.To, 60); msg != "" {
		bad("to", "to "+msg)
	} else if strings.EqualFold(strings.TrimSpace(r.From), strings.TrimSpace(r.To)) {
		bad("to", "to must differ from from")
	}
	if d, err := time.Parse(time.DateOnly, r.Date); err != nil {
		bad("date", "date must be written YYYY-MM-DD")
	} else if y, m, dd := today.Date(); d.Before(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)) {
		bad("date", "date must not be in the past")
	}
	if _, err := time.Parse("15:04", r.Time); err != nil {
		bad("time", "time must be written HH:MM, 24-hour")
	}
	if !slices.Contains(TicketTypes(), r.TicketType) {
		bad("ticket_type", "ticket_type must be economy, business or first")
	}
	return errs
}

// text checks a required free-text field and returns what is wrong, or "".
func text(s string, maxLen int) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "is required"
	case !utf8.ValidString(s):
		return "must be valid UTF-8"
	case utf8.RuneCountInString(s) > maxLen:
		return "is too long"
	case strings.ContainsAny(s, "\x00\r\n<>"):
		return "must not contain line breaks or angle brackets"
	}
	return ""
}

// phone reports whether s looks like a phone number.
func phone(s string) bool {
	digits := 0
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '+' && i == 0, c == ' ', c == '-', c == '(', c == ')':
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 15
}

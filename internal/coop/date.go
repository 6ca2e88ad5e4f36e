package coop

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Precision says how much of a Date is known.
type Precision string

const (
	PrecisionDecade Precision = "DECADE"
	PrecisionYear   Precision = "YEAR"
	PrecisionMonth  Precision = "MONTH"
	PrecisionDay    Precision = "DAY"
)

var precisions = enumOf(PrecisionDecade, PrecisionYear, PrecisionMonth, PrecisionDay)

func (p Precision) Valid() bool     { return precisions.has(string(p)) }
func (Precision) Allowed() []string { return precisions }

// Date is a calendar date known to a precision: "2025-04-04", "2025-04",
// "2025", or a decade as "199X" (ISO 8601-2 / EDTF). Sources often say only
// "in 2023" or "in the 1990s"; a Date keeps exactly what they say.
type Date struct {
	text      string
	precision Precision
	first     time.Time // earliest day the date may mean
	last      time.Time // latest day the date may mean
}

var dateForm = regexp.MustCompile(`^(\d{3})(\d|X)(?:-(\d{2})(?:-(\d{2}))?)?$`)

// ParseDate parses a Date, rejecting impossible ones such as 2025-02-30.
func ParseDate(s string) (Date, error) {
	m := dateForm.FindStringSubmatch(s)
	if m == nil {
		return Date{}, fmt.Errorf("%q is not a date of the form YYYY, YYYY-MM, YYYY-MM-DD or YYYX", s)
	}
	if m[2] == "X" {
		if m[3] != "" {
			return Date{}, fmt.Errorf("%q: a decade (YYYX) takes no month or day", s)
		}
		y, _ := strconv.Atoi(m[1] + "0")
		return Date{text: s, precision: PrecisionDecade,
			first: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC),
			last:  time.Date(y+9, 12, 31, 0, 0, 0, 0, time.UTC)}, nil
	}
	y, _ := strconv.Atoi(m[1] + m[2])
	if m[3] == "" {
		return Date{text: s, precision: PrecisionYear,
			first: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC),
			last:  time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)}, nil
	}
	mo, _ := strconv.Atoi(m[3])
	if mo < 1 || mo > 12 {
		return Date{}, fmt.Errorf("%q: month %d does not exist", s, mo)
	}
	first := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
	if m[4] == "" {
		return Date{text: s, precision: PrecisionMonth, first: first, last: first.AddDate(0, 1, -1)}, nil
	}
	d, _ := strconv.Atoi(m[4])
	day := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || day.Month() != time.Month(mo) {
		return Date{}, fmt.Errorf("%q: day %d does not exist in that month", s, d)
	}
	return Date{text: s, precision: PrecisionDay, first: day, last: day}, nil
}

// MustDate parses s or panics; for constants and tests.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) String() string       { return d.text }
func (d Date) IsZero() bool         { return d.text == "" }
func (d Date) Precision() Precision { return d.precision }

// First is the earliest day the date may mean; Last the latest.
func (d Date) First() time.Time { return d.first }
func (d Date) Last() time.Time  { return d.last }

// MarshalText writes the date as written ("2025-04"), so dates encode as
// JSON strings.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.text), nil }

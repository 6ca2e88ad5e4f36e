package coop

import "testing"

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in, first, last string
		prec            Precision
	}{
		{"2025-04-04", "2025-04-04", "2025-04-04", PrecisionDay},
		{"2024-02", "2024-02-01", "2024-02-29", PrecisionMonth},
		{"2023", "2023-01-01", "2023-12-31", PrecisionYear},
		{"199X", "1990-01-01", "1999-12-31", PrecisionDecade},
	} {
		t.Run(tc.in, func(t *testing.T) {
			d, err := ParseDate(tc.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tc.in, err)
			}
			if got := d.First().Format("2006-01-02"); got != tc.first {
				t.Errorf("ParseDate(%q).First() = %s; want %s", tc.in, got, tc.first)
			}
			if got := d.Last().Format("2006-01-02"); got != tc.last {
				t.Errorf("ParseDate(%q).Last() = %s; want %s", tc.in, got, tc.last)
			}
			if d.Precision() != tc.prec || d.String() != tc.in {
				t.Errorf("ParseDate(%q) = %s/%s; want %s/%s", tc.in, d, d.Precision(), tc.in, tc.prec)
			}
		})
	}
	for name, bad := range map[string]string{
		"empty": "", "no such day": "2025-02-30", "no such month": "2025-13", "two digits": "25", "slashes": "2025/04/04",
		"a decade's month": "199X-01", "no leading zeros": "2025-4-4", "a time": "2025-04-04T00:00",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseDate(bad); err == nil {
				t.Errorf("ParseDate(%q) succeeded; want an error", bad)
			}
		})
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Gian Carlo Loffredo Rendón":       "gian carlo loffredo rendon",
		"Cartel Jalisco Nueva  Generación": "cartel jalisco nueva generacion",
		"CJNG":                             "cjng",
	} {
		t.Run(in, func(t *testing.T) {
			if got := Fold(in); got != want {
				t.Errorf("Fold(%q) = %q; want %q", in, got, want)
			}
		})
	}
}

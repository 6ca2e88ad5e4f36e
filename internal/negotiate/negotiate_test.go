package negotiate

import "testing"

func TestGzip(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		want         bool
	}{
		{"none", "", false},
		{"gzip", "gzip", true},
		{"among others", "br, gzip, deflate", true},
		{"any case", "GZip", true},
		{"with a weight", "gzip;q=0.5", true},
		{"refused", "gzip;q=0", false},
		{"refused with spaces", "gzip ; q = 0", false},
		{"another coding", "br, deflate", false},
		{"a name that only contains gzip", "x-gzip-like", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Gzip(tc.header); got != tc.want {
				t.Errorf("Gzip(%q) = %v; want %v", tc.header, got, tc.want)
			}
		})
	}
}

// Package negotiate reads what a client says it accepts, for every part of
// the HTTP surface that answers it: the API's answers and the browser
// pages' assets alike.
package negotiate

import "strings"

// Gzip reports whether an Accept-Encoding header takes gzip (not "gzip;q=0").
func Gzip(acceptEncoding string) bool {
	for _, part := range strings.Split(acceptEncoding, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// Package seed embeds coopgraph's seed graph: JSON Lines files drawn from
// the sources they cite (format in README.md).
package seed

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/dataset"
)

//go:embed *.jsonl
var files embed.FS

// Lines returns every record of the seed files, in name order, for the
// importer.
func Lines() ([]dataset.Line, error) {
	names, err := fs.Glob(files, "*.jsonl")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var lines []dataset.Line
	for _, name := range names {
		f, err := files.Open(name)
		if err != nil {
			return nil, err
		}
		ls, errs := dataset.JSONLines("seed/"+name, f)
		f.Close()
		if len(errs) > 0 {
			return nil, errs
		}
		lines = append(lines, ls...)
	}
	return lines, nil
}

// Hash identifies this version of the seed: the SHA-256 of its lines.
func Hash(lines []dataset.Line) string {
	h := sha256.New()
	for _, l := range lines {
		fmt.Fprintf(h, "%s:%d:%s\n", l.File, l.N, l.JSON)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Dataset reads and validates every seed file, in name order.
func Dataset() (coop.Dataset, error) {
	names, err := fs.Glob(files, "*.jsonl")
	if err != nil {
		return coop.Dataset{}, err
	}
	sort.Strings(names)
	rd := dataset.NewReader()
	for _, name := range names {
		f, err := files.Open(name)
		if err != nil {
			return coop.Dataset{}, err
		}
		rd.Read("seed/"+name, f)
		f.Close()
	}
	return rd.Dataset()
}

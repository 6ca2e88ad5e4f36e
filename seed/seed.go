// Package seed embeds coopgraph's seed graph: JSON Lines files drawn from
// the sources they cite (format in README.md).
package seed

import (
	"embed"
	"io/fs"
	"sort"

	"github.com/coopgraph/coopgraph/internal/dataset"
)

//go:embed *.jsonl
var files embed.FS

// Dataset reads and validates every seed file, in name order.
func Dataset() (dataset.Dataset, error) {
	names, err := fs.Glob(files, "*.jsonl")
	if err != nil {
		return dataset.Dataset{}, err
	}
	sort.Strings(names)
	rd := dataset.NewReader()
	for _, name := range names {
		f, err := files.Open(name)
		if err != nil {
			return dataset.Dataset{}, err
		}
		rd.Read("seed/"+name, f)
		f.Close()
	}
	return rd.Dataset()
}

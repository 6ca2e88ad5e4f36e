#!/usr/bin/env bash
# gofmt, go vet, and generated code reproducible from the schema.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.data/*'))
if [[ -n "$unformatted" ]]; then
  echo "gofmt would change:" >&2; echo "$unformatted" >&2; exit 1
fi
go vet ./...

generated=(graph/generated.go graph/model/models_gen.go graph/schema.resolvers.go)
before=$(mktemp -d); trap 'rm -rf "$before"' EXIT
for f in "${generated[@]}"; do mkdir -p "$before/$(dirname "$f")"; cp "$f" "$before/$f"; done
go generate ./...
for f in "${generated[@]}"; do
  if ! diff -q "$before/$f" "$f" >/dev/null; then
    echo "generated code is out of date: $f differs after 'go generate ./...'; commit the regenerated files" >&2
    diff -u "$before/$f" "$f" | head -40 >&2
    exit 1
  fi
done
echo "check: gofmt, go vet and generated code are clean"

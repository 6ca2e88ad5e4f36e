#!/usr/bin/env bash
# make assets: fetch the browser libraries listed in internal/webui/vendor/packages.txt from the
# npm registry, check each package against the registry's integrity hash, copy the listed files
# into internal/webui/vendor and record their sha256 in manifest.json. Needs npm and the registry;
# building and running coopgraph never do (the files are committed and embedded in the binary).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
vendor=internal/webui/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v npm >/dev/null || { echo "vendor-assets: npm is required" >&2; exit 1; }

entries=()
declare -A fetched
while read -r spec path name; do
  [[ -z "$spec" || "$spec" == \#* ]] && continue
  if [[ -z "${fetched[$spec]:-}" ]]; then
    integrity=$(npm view "$spec" dist.integrity)
    tgz=$(cd "$work" && npm pack --silent "$spec")
    got="sha512-$(openssl dgst -sha512 -binary "$work/$tgz" | base64 -w0)"
    if [[ "$got" != "$integrity" ]]; then
      echo "vendor-assets: $spec: the tarball's hash $got is not the registry's $integrity" >&2
      exit 1
    fi
    mkdir -p "$work/${spec//\//_}"
    tar xzf "$work/$tgz" -C "$work/${spec//\//_}"
    fetched[$spec]=$integrity
  fi
  cp "$work/${spec//\//_}/package/$path" "$vendor/$name"
  sum=$(sha256sum "$vendor/$name" | cut -d' ' -f1)
  pkg=${spec%@*} version=${spec##*@}
  entries+=("$(printf '  {"name": "%s", "package": "%s", "version": "%s", "file": "%s", "integrity": "%s", "sha256": "%s"}' \
    "$name" "$pkg" "$version" "$path" "${fetched[$spec]}" "$sum")")
done < "$vendor/packages.txt"

{
  echo "["
  for i in "${!entries[@]}"; do
    sep=,; (( i == ${#entries[@]} - 1 )) && sep=
    echo "${entries[$i]}$sep"
  done
  echo "]"
} > "$vendor/manifest.json"
echo "vendor-assets: ${#entries[@]} files in $vendor, checksums in $vendor/manifest.json"

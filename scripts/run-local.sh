#!/usr/bin/env bash
# make run: serve coopgraph with its seed graph. Without NEO4J_URI, starts the
# project's local Neo4j (data in .data/neo4j, kept between runs), or reuses the
# one a previous run left running, and stops it on exit only if it started it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${NEO4J_URI:-}" ]]; then
  dir=${NEO4J_LOCAL_DIR:-.data/neo4j}
  port=${NEO4J_LOCAL_PORT:-7687}
  export NEO4J_PASSWORD=${NEO4J_PASSWORD:-coopgraph-local}
  state=$(tools/neo4j/neo4j-local start "$dir" "$port")
  export NEO4J_URI="bolt://127.0.0.1:$(cat "$dir/port")"
  if [[ $state == started ]]; then
    trap 'tools/neo4j/neo4j-local stop "$dir"' EXIT
  fi
fi

# Not exec: the trap above must run after the server exits.
bin/coopgraph serve -seed "$@"

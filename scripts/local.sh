#!/usr/bin/env bash
# Run a coopgraph command (keys, import, export, seed) against the Neo4j that
# `make run` uses, with the same defaults: scripts/local.sh keys list
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${NEO4J_URI:-}" ]]; then
  dir=${NEO4J_LOCAL_DIR:-.data/neo4j}
  export NEO4J_PASSWORD=${NEO4J_PASSWORD:-coopgraph-local}
  if [[ ! -f "$dir/port" ]] || ! tools/neo4j/neo4j-local status "$dir" >/dev/null 2>&1; then
    echo "the local Neo4j is not running: start it with 'make run' (or 'make neo4j-start')" >&2
    exit 1
  fi
  export NEO4J_URI="bolt://127.0.0.1:$(cat "$dir/port")"
fi
exec bin/coopgraph "$@"

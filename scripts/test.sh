#!/usr/bin/env bash
# make test: start a throwaway Neo4j on a free port, run every Go test
# against it, stop it. Fails, never skips, if Neo4j cannot start.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${NEO4J_URI:-}" ]]; then
  dir=$(mktemp -d "${TMPDIR:-/tmp}/coopgraph-test-neo4j.XXXXXX")
  trap 'tools/neo4j/neo4j-local stop "$dir"; rm -rf "$dir"' EXIT
  port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
  port=$(( 20000 + RANDOM % 30000 ))
  until port_free "$port"; do port=$(( 20000 + RANDOM % 30000 )); done
  export NEO4J_PASSWORD=coopgraph-test
  NEO4J_HEAP=${NEO4J_HEAP:-1g} NEO4J_PAGECACHE=${NEO4J_PAGECACHE:-256m} \
    tools/neo4j/neo4j-local start "$dir" "$port" >/dev/null
  export NEO4J_URI="bolt://127.0.0.1:$port" NEO4J_USER=neo4j
  unset NEO4J_DATABASE
fi

# Packages run side by side; those that use Neo4j take turns on it through
# a lock their test helper holds (internal/neo4jstore/neo4jtest), since they
# reset the one database they share. -timeout covers the wait for the lock.
go test -count=1 -timeout 20m "$@" ./...

# Then fuzz every argument of every root field and mutation with malformed
# values for a while (FUZZTIME, default 20s; 0 skips it). Inputs found
# interesting stay in the Go cache; a failing one is written to
# graph/testdata/fuzz, where plain `go test` runs it from then on.
if [[ $# -eq 0 && "${FUZZTIME:-20s}" != "0" ]]; then
  go test -count=1 -run '^$' -fuzz '^FuzzArguments$' -fuzztime "${FUZZTIME:-20s}" -fuzzminimizetime 50x -parallel 1 ./graph
fi

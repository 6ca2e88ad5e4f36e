#!/usr/bin/env bash
# make bench: generate graphs of 10k, 100k and 1M nodes in a dedicated local
# Neo4j (data in .data/bench-neo4j, wiped each run) and measure the API
# against the Cypher floor. The report goes to stdout and .data/bench-report.md.
# Extra arguments go to `coopgraph bench` (e.g. BENCH_ARGS="-scales 10000").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dir=${NEO4J_BENCH_DIR:-.data/bench-neo4j}
port=${NEO4J_BENCH_PORT:-7688}
export NEO4J_PASSWORD=coopgraph-bench
state=$(NEO4J_HEAP=${NEO4J_HEAP:-4g} NEO4J_PAGECACHE=${NEO4J_PAGECACHE:-4g} tools/neo4j/neo4j-local start "$dir" "$port")
if [[ $state == started ]]; then
  trap 'tools/neo4j/neo4j-local stop "$dir"' EXIT
fi
export NEO4J_URI="bolt://127.0.0.1:$(cat "$dir/port")"
mkdir -p .data
bin/coopgraph bench "$@" | tee .data/bench-report.md

# coopgraph. The two commands a newcomer needs:
#   make run    start a local Neo4j (unless NEO4J_URI is set), seed it, serve on 127.0.0.1:8080
#   make test   check formatting, vet and generated code, then run every test against a throwaway Neo4j
SHELL := /bin/bash
GO ?= go

.PHONY: run test check generate build bench compare neo4j-start neo4j-stop key clean assets screenshots browser soak

# The version the binary reports: the commit, and "-dirty" with uncommitted changes.
VERSION ?= $(shell git describe --always --dirty 2>/dev/null)

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/coopgraph ./cmd/coopgraph

run: build
	@scripts/run-local.sh

test: check
	@scripts/test.sh

# gofmt, go vet, and generated code that matches the schema.
check:
	@scripts/check.sh

generate:
	$(GO) generate ./...

# Fetch the browser libraries pinned in internal/webui/vendor/packages.txt from npm, check
# them against the registry's hashes and record their checksums (needs npm; building never does).
assets:
	@scripts/vendor-assets.sh

# Install Debian's chromium for the browser tests, when no Chromium is there.
browser:
	@scripts/install-chromium.sh

# Take the README's screenshots (docs/screenshots) with the browser tests.
screenshots:
	@COOPGRAPH_README_SCREENSHOTS=1 scripts/test.sh -run 'TestTheIDEWorksOffline|TestTheExplorerFollowsAnAnalyst'

# Mixed reads and writes against a running service (make run) for SOAK_ARGS' duration; writes
# need an editor key: make soak SOAK_ARGS="-duration 5m -key $$KEY"
soak: build
	@bin/coopgraph soak $(SOAK_ARGS)

# Load 10k, 100k and 1M-node synthetic graphs into a dedicated Neo4j and
# measure the API against the Cypher floor (BENCHMARKS.md). Long: the 1M load alone takes minutes.
bench: build
	@scripts/bench.sh $(BENCH_ARGS)

# Measure coopgraph against the official Neo4j GraphQL Library (@neo4j/graphql on Apollo Server,
# pinned in internal/peer/app/package-lock.json) on the same Neo4j: answers checked equal, then
# alternating rounds (BENCHMARKS.md). NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD must point at a
# database holding `coopgraph gen -nodes N -seed S` (give the same -nodes and -seed); no data is
# changed. Needs Node.js 20+ and npm (the peer's packages are installed once into ~/.cache/coopgraph):
#   make compare COMPARE_ARGS="-nodes 100000 -duration 10s"
compare: build
	@bin/coopgraph compare $(COMPARE_ARGS)

# An API key for the local Neo4j that `make run` uses, printed once:
#   make key NAME=alice ROLE=editor      (ROLE: reader, editor or admin)
key: build
	@scripts/local.sh keys create -name "$(NAME)" -role "$(or $(ROLE),editor)"

# The local Neo4j that `make run` uses, on its own (data in .data/neo4j).
neo4j-start:
	@tools/neo4j/neo4j-local start $${NEO4J_LOCAL_DIR:-.data/neo4j} $${NEO4J_LOCAL_PORT:-7687} >/dev/null

neo4j-stop:
	@tools/neo4j/neo4j-local stop $${NEO4J_LOCAL_DIR:-.data/neo4j}

clean:
	rm -rf bin

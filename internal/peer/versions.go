package peer

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

// Packages are the peer's direct dependencies at the versions its
// lockfile pins, as "name version", by name.
func Packages() ([]string, error) {
	return lockedPackages(appFile("package.json"), appFile("package-lock.json"))
}

func lockedPackages(pkgJSON, lockJSON []byte) ([]string, error) {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(pkgJSON, &pkg); err != nil {
		return nil, fmt.Errorf("the peer's package.json: %w", err)
	}
	if err := json.Unmarshal(lockJSON, &lock); err != nil {
		return nil, fmt.Errorf("the peer's package-lock.json: %w", err)
	}
	var out []string
	for name := range pkg.Dependencies {
		p, ok := lock.Packages["node_modules/"+name]
		if !ok || p.Version == "" {
			return nil, fmt.Errorf("the peer's package-lock.json does not pin %s: run npm install --package-lock-only in internal/peer/app", name)
		}
		out = append(out, name+" "+p.Version)
	}
	slices.Sort(out)
	return out, nil
}

// NodeVersion is what node --version prints.
func NodeVersion(ctx context.Context, node string) (string, error) {
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("the peer needs Node.js 20 or later: %s --version: %w", node, err)
	}
	v := strings.TrimSpace(string(out))
	major, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	if n, err := strconv.Atoi(major); err != nil || n < 20 {
		return "", fmt.Errorf("the peer needs Node.js 20 or later; %s is %s (-node)", node, v)
	}
	return v, nil
}

// Neo4jVersion is the server's name, version and edition, as CALL
// dbms.components() gives them.
func Neo4jVersion(ctx context.Context, cfg neo4jstore.Config) (string, error) {
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		return "", err
	}
	defer driver.Close(context.WithoutCancel(ctx))
	res, err := neo4j.ExecuteQuery(ctx, driver, "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(cfg.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return "", fmt.Errorf("the Neo4j version: %w", err)
	}
	var parts []string
	for _, rec := range res.Records {
		name, _ := rec.Values[0].(string)
		edition, _ := rec.Values[2].(string)
		var versions []string
		for _, v := range rec.Values[1].([]any) {
			s, _ := v.(string)
			versions = append(versions, s)
		}
		parts = append(parts, fmt.Sprintf("%s %s %s", name, strings.Join(versions, ", "), edition))
	}
	return strings.Join(parts, "; "), nil
}

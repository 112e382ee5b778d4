package e2e

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/openhands-go/sdk/"

// deps lists the module packages pkg depends on (transitively).
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
	require.NoError(t, err)
	var mine []string
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, module) {
			mine = append(mine, strings.TrimPrefix(p, module))
		}
	}
	return mine
}

// TestArchitecture: client code never imports server code (the only internal
// package the client may use is the leaf JSON scanner), and the server never
// imports the client.
func TestArchitecture(t *testing.T) {
	for _, client := range []string{"workspace", "secret", "llm", "mcp"} {
		for _, d := range deps(t, module+client) {
			if strings.HasPrefix(d, "internal/") {
				require.Equal(t, "internal/jsonscan", d, "client package %s depends on server code %s", client, d)
			}
		}
	}
	for _, d := range deps(t, module+"internal/...") {
		require.False(t, d == "workspace" || strings.HasPrefix(d, "workspace/"), "server code depends on the client package %s", d)
	}
}

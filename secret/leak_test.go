package secret_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/secret"
)

// renderings returns every way a value is commonly turned into text.
func renderings(t *testing.T, v any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.40v"} {
		out[verb] = fmt.Sprintf(verb, v)
		out["slice "+verb] = fmt.Sprintf(verb, []any{v})
		out["map "+verb] = fmt.Sprintf(verb, map[string]any{"k": v})
		out["struct "+verb] = fmt.Sprintf(verb, struct{ F any }{v})
	}
	out["Sprint"] = fmt.Sprint(v)
	out["Sprintln"] = fmt.Sprintln(v, v)

	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("msg", "value", v, slog.Any("any", v), slog.Group("g", "inner", v))
	slog.New(slog.NewJSONHandler(&js, nil)).Info("msg", "value", v, slog.Any("any", v), slog.Group("g", "inner", v))
	out["slog text"] = text.String()
	out["slog json"] = js.String()

	if b, err := json.Marshal(v); err == nil {
		out["json"] = string(b)
	} else {
		out["json error"] = err.Error()
	}
	if b, err := json.Marshal(map[string]any{"k": v}); err == nil {
		out["json map"] = string(b)
	}
	out["error %v"] = fmt.Errorf("wrapped: %v", v).Error()
	out["error %w-ish"] = errors.Join(errors.New("x"), fmt.Errorf("%+v", v)).Error()

	recovered := func() (r any) {
		defer func() { r = recover() }()
		panic(v)
	}()
	out["panic %v"] = fmt.Sprintf("%v", recovered)
	out["panic %#v"] = fmt.Sprintf("%#v", recovered)
	return out
}

func requireNoLeak(t *testing.T, v any, secrets ...string) {
	t.Helper()
	for how, s := range renderings(t, v) {
		for _, sec := range secrets {
			require.NotContains(t, s, sec, "leak via %s (%T)", how, v)
		}
	}
}

func TestLeak(t *testing.T) {
	const (
		staticVal = "STATIC-SECRET-VALUE"
		sessKey   = "SESSION-KEY-VALUE"
		authVal   = "AUTH-HEADER-VALUE"
		cookieVal = "COOKIE-VALUE"
	)
	str := secret.Str(staticVal)
	static := secret.StaticSecret{Description: sp("desc"), Value: secret.Str(staticVal)}
	lookup := secret.LookupSecret{
		Description: sp("desc"),
		URL:         "http://127.0.0.1:1/api/settings/secrets/X",
		Headers:     map[string]string{"X-Session-API-Key": sessKey, "Authorization": authVal, "Cookie": cookieVal, "Accept": "text/plain"},
	}

	srv, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
	failing := lookup
	failing.URL = srv.URL + "/api/settings/secrets/X"
	_, resolveErr := failing.Resolve(context.Background())
	require.Error(t, resolveErr)
	_, environErr := secret.Environ(context.Background(), map[string]secret.Resolver{"X": failing})
	require.Error(t, environErr)

	values := []any{
		str, &str,
		static, &static,
		lookup, &lookup,
		[]secret.LookupSecret{lookup},
		map[string]secret.Resolver{"a": static, "b": lookup, "c": &lookup},
		struct {
			S secret.Str
			L secret.LookupSecret
			P *secret.StaticSecret
		}{str, lookup, &static},
		resolveErr, environErr,
	}
	all := []string{staticVal, sessKey, authVal, cookieVal}
	for _, v := range values {
		t.Run(fmt.Sprintf("%T", v), func(t *testing.T) {
			requireNoLeak(t, v, all...)
		})
	}

	// The non-secret header stays visible (redaction is targeted).
	require.Contains(t, fmt.Sprint(lookup), "text/plain")
	require.Contains(t, fmt.Sprint(lookup), secret.Marker)
}

package secretstore

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/openhands-go/sdk/internal/store"
)

// panicOnce panics inside the first Locked call, the way a bug deep in a
// write would.
type panicOnce struct {
	store.Store
	fired atomic.Bool
}

func (p *panicOnce) Locked(ctx context.Context, lock string, fn func(store.Tx) error) error {
	if p.fired.CompareAndSwap(false, true) {
		panic("injected failure")
	}
	return p.Store.Locked(ctx, lock, fn)
}

func TestPanicDuringCommitDoesNotWedgeLaterWrites(t *testing.T) {
	st := &panicOnce{Store: store.NewMemory()}
	s := New(st, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	func() {
		defer func() { require.NotNil(t, recover(), "the panic reaches the leader's caller") }()
		_ = s.Put(ctx, "FIRST", "v1", nil)
	}()
	// The leader slot was released: the next writes go through promptly.
	require.NoError(t, s.Put(ctx, "SECOND", "v2", nil))
	require.NoError(t, s.Delete(ctx, "SECOND"))
	require.NoError(t, s.Put(ctx, "THIRD", "v3", nil))
	v, err := s.Get(ctx, "THIRD")
	require.NoError(t, err)
	require.Equal(t, "v3", v)
}

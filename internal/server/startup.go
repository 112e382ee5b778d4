package server

import (
	"context"
	"errors"
	"path"
	"strings"

	"github.com/openhands-go/sdk/internal/model"
	"github.com/openhands-go/sdk/internal/store"
)

// checkUndecryptable runs once at start. Values that do not decrypt under the
// configured key are kept on disk unchanged (never returned, never
// overwritten until a client replaces that very value); this logs how many
// there are, once, without names or values. secrets.json is counted by the
// secret store itself, which logs its own single warning when it first
// loads the file (triggered here).
func (s *Server) checkUndecryptable(ctx context.Context) {
	if s.c == nil {
		return
	}
	_, _ = s.secrets.List(ctx)
	sealed, files := 0, 0
	count := func(load func(n *int) error) {
		n := 0
		if load(&n) == nil && n > 0 {
			sealed += n
			files++
		}
	}
	if data, _, err := s.st.Read(ctx, store.SettingsFile); err == nil {
		count(func(n *int) error {
			_, err := model.LoadSettingsFile(data, model.Input{Cipher: s.c, FromDisk: true, Sealed: n})
			return err
		})
	}
	_ = s.st.Locked(ctx, store.ProfilesLock, func(tx store.Tx) error {
		names, err := tx.List(store.ProfilesDir)
		if err != nil {
			return err
		}
		for _, name := range names {
			if !strings.HasSuffix(name, ".json") {
				continue
			}
			data, err := tx.Read(path.Join(store.ProfilesDir, name))
			if errors.Is(err, store.ErrNotExist) || err != nil {
				continue
			}
			count(func(n *int) error {
				_, err := model.LoadProfileFile(data, model.Input{Cipher: s.c, FromDisk: true, Sealed: n})
				return err
			})
		}
		return nil
	})
	if sealed > 0 {
		s.log.Warn("stored secret values do not decrypt under the configured key (OH_SECRET_KEY changed?); they are kept unchanged on disk and read as unset until replaced",
			"count", sealed, "files", files)
	}
}

package cipher

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

type vector struct {
	Name       string `json:"name"`
	Key        string `json:"oh_secret_key"`
	DerivedKey string `json:"derived_fernet_key"`
	Plaintext  string `json:"plaintext"`
	Token      string `json:"token"`
	Valid      bool   `json:"valid"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/fernet-vectors.json")
	require.NoError(t, err)
	var doc struct {
		Cases []vector `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	require.GreaterOrEqual(t, len(doc.Cases), 12)
	return doc.Cases
}

func TestUpstreamVectors(t *testing.T) {
	valid, invalid := 0, 0
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			if v.DerivedKey != "" {
				sum := sha256.Sum256([]byte(v.Key))
				require.Equal(t, v.DerivedKey, base64.URLEncoding.EncodeToString(sum[:]))
			}
			c := New(v.Key)
			got, err := c.Decrypt(v.Token)
			if v.Valid {
				valid++
				require.NoError(t, err)
				require.Equal(t, v.Plaintext, got)
				// Round trip through our own encryption too.
				tok, err := c.Encrypt(v.Plaintext)
				require.NoError(t, err)
				require.True(t, LooksLikeToken(tok))
				back, err := c.Decrypt(tok)
				require.NoError(t, err)
				require.Equal(t, v.Plaintext, back)
			} else {
				invalid++
				require.ErrorIs(t, err, ErrDecrypt)
			}
		})
	}
	require.Equal(t, 9, valid)
	require.Equal(t, 3, invalid)
}

func TestEncryptValueNoDoubleEncryption(t *testing.T) {
	c := New("k1")
	tok, err := c.Encrypt("v")
	require.NoError(t, err)
	same, err := c.EncryptValue(tok)
	require.NoError(t, err)
	require.Equal(t, tok, same)

	other, err := New("k2").Encrypt("v")
	require.NoError(t, err)
	re, err := c.EncryptValue(other)
	require.NoError(t, err)
	require.NotEqual(t, other, re)
	back, err := c.Decrypt(re)
	require.NoError(t, err)
	require.Equal(t, other, back, "a foreign token is encrypted as an ordinary string")
}

func TestFreshTokens(t *testing.T) {
	c := New("k")
	a, _ := c.Encrypt("same")
	b, _ := c.Encrypt("same")
	require.NotEqual(t, a, b)
}

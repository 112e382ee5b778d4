// Package cipher encrypts secret values the way the upstream agent-server
// does: Fernet tokens under the key SHA-256(OH_SECRET_KEY).
package cipher

import (
	"crypto/sha256"
	"errors"
	"strings"

	"github.com/fernet/fernet-go"
)

// TokenPrefix is how every Fernet token (version 0x80) starts once encoded.
const TokenPrefix = "gAAAAA"

// ErrDecrypt is returned when a token does not decrypt under the key.
var ErrDecrypt = errors.New("cipher: token does not decrypt under the server key")

// Cipher holds a derived Fernet key. A nil *Cipher means "no key": callers
// check for nil before using it.
type Cipher struct {
	keys []*fernet.Key
}

// New derives the cipher from the secret-key string. Every string, the empty
// one included, yields a working cipher (as upstream).
func New(secretKey string) *Cipher {
	k := fernet.Key(sha256.Sum256([]byte(secretKey)))
	return &Cipher{keys: []*fernet.Key{&k}}
}

// Encrypt returns a fresh Fernet token for plaintext.
func (c *Cipher) Encrypt(plaintext string) (string, error) {
	tok, err := fernet.EncryptAndSign([]byte(plaintext), c.keys[0])
	if err != nil {
		return "", err
	}
	return string(tok), nil
}

// Decrypt returns the plaintext of a token, or ErrDecrypt. No TTL is enforced.
func (c *Cipher) Decrypt(token string) (string, error) {
	msg := fernet.VerifyAndDecrypt([]byte(token), 0, c.keys)
	if msg == nil {
		return "", ErrDecrypt
	}
	return string(msg), nil
}

// LooksLikeToken reports whether s has the Fernet token prefix; detection is
// by prefix only, as upstream.
func LooksLikeToken(s string) bool { return strings.HasPrefix(s, TokenPrefix) }

// EncryptValue applies the at-rest write rule: a value that is already a
// token decrypting under this key is returned unchanged, anything else is
// encrypted.
func (c *Cipher) EncryptValue(v string) (string, error) {
	if LooksLikeToken(v) {
		if _, err := c.Decrypt(v); err == nil {
			return v, nil
		}
	}
	return c.Encrypt(v)
}

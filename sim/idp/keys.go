package idp

import (
	"crypto"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"io"
	"sync"

	"github.com/go-jose/go-jose/v4"
)

// signingKey is an RSA key with its key ID and ready-made signers.
type signingKey struct {
	kid     string
	private *rsa.PrivateKey
	rs256   jose.Signer
	rs512   jose.Signer
}

// keySet holds the signing keys of a provider. The JWKS publishes the
// current key and the one before it, so tokens signed just before a
// rotation still verify.
type keySet struct {
	rand io.Reader

	mu        sync.Mutex
	spare     []*rsa.PrivateKey // keys given in Config, used before generating
	current   *signingKey
	previous  *signingKey
	published []jose.JSONWebKey
}

func newKeySet(rand io.Reader, keys []*rsa.PrivateKey) *keySet {
	return &keySet{rand: rand, spare: keys}
}

// signer returns the current key, creating the first one when needed.
func (ks *keySet) signer() (*signingKey, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if ks.current == nil {
		if err := ks.rotateLocked(); err != nil {
			return nil, err
		}
	}
	return ks.current, nil
}

// rotate switches to a new key.
func (ks *keySet) rotate() error {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	return ks.rotateLocked()
}

// rotateLocked takes a spare key or generates one, publishes it, and only
// then makes it the signing key.
func (ks *keySet) rotateLocked() error {
	var priv *rsa.PrivateKey
	if len(ks.spare) > 0 {
		priv, ks.spare = ks.spare[0], ks.spare[1:]
	} else {
		var err error
		if priv, err = rsa.GenerateKey(ks.rand, 2048); err != nil {
			return fmt.Errorf("idp: generating a signing key: %w", err)
		}
	}
	k, err := newSigningKey(priv)
	if err != nil {
		return err
	}

	// Publish first: the set holds the new key before anything is signed with it.
	ks.previous, ks.current = ks.current, k
	ks.published = []jose.JSONWebKey{publicJWK(k)}
	if ks.previous != nil && ks.previous.kid != k.kid {
		ks.published = append(ks.published, publicJWK(ks.previous))
	}
	return nil
}

// jwks returns the published public keys.
func (ks *keySet) jwks() (jose.JSONWebKeySet, error) {
	if _, err := ks.signer(); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	return jose.JSONWebKeySet{Keys: append([]jose.JSONWebKey(nil), ks.published...)}, nil
}

func publicJWK(k *signingKey) jose.JSONWebKey {
	return jose.JSONWebKey{
		Key: k.private.Public(), KeyID: k.kid, Algorithm: string(jose.RS256), Use: "sig",
	}
}

// newSigningKey derives the key ID (the RFC 7638 thumbprint) and signers.
func newSigningKey(priv *rsa.PrivateKey) (*signingKey, error) {
	jwk := jose.JSONWebKey{Key: priv.Public()}
	thumb, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("idp: key thumbprint: %w", err)
	}
	k := &signingKey{kid: base64.RawURLEncoding.EncodeToString(thumb)[:16], private: priv}

	opts := (&jose.SignerOptions{}).WithType("JWT")
	for alg, dst := range map[jose.SignatureAlgorithm]*jose.Signer{
		jose.RS256: &k.rs256, jose.RS512: &k.rs512,
	} {
		s, err := jose.NewSigner(jose.SigningKey{
			Algorithm: alg, Key: jose.JSONWebKey{Key: priv, KeyID: k.kid},
		}, opts)
		if err != nil {
			return nil, fmt.Errorf("idp: %s signer: %w", alg, err)
		}
		*dst = s
	}
	return k, nil
}

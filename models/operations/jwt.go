package operations

import "strconv"

// JWK is an Ed25519 public key in JSON Web Key form, as plex.tv takes and
// publishes them.
type JWK struct {
	Kty string `json:"kty" xml:"kty,attr"`
	Crv string `json:"crv" xml:"crv,attr"`
	X   string `json:"x" xml:"x,attr"`
	Use string `json:"use,omitempty" xml:"use,attr,omitempty"`
	Alg string `json:"alg,omitempty" xml:"alg,attr,omitempty"`
	Kid string `json:"kid,omitempty" xml:"kid,attr,omitempty"`
}

// RegisterDeviceKeyResponse is the answer of RegisterDeviceKey.
type RegisterDeviceKeyResponse struct {
	HTTPMeta
}

// GetNonceResponse is the answer of GetNonce.
type GetNonceResponse struct {
	HTTPMeta
	// Nonce is single use and valid for about five minutes.
	Nonce string `json:"nonce" xml:"nonce,attr"`
}

// ExchangeDeviceJWTResponse is the answer of ExchangeDeviceJWT.
type ExchangeDeviceJWTResponse struct {
	HTTPMeta
	// AuthToken is the Plex JWT (valid about seven days). Never printed by
	// String.
	AuthToken string `json:"auth_token" xml:"auth_token,attr"`
}

// String never shows the token.
func (r ExchangeDeviceJWTResponse) String() string {
	return "ExchangeDeviceJWTResponse{StatusCode:" + strconv.Itoa(r.StatusCode) + " AuthToken:REDACTED}"
}

// GoString never shows the token.
func (r ExchangeDeviceJWTResponse) GoString() string { return r.String() }

// GetPublicKeysResponse is the answer of GetPublicKeys.
type GetPublicKeysResponse struct {
	HTTPMeta
	// Keys are plex.tv's current JWT signing keys.
	Keys []JWK `json:"keys" xml:"keys>key"`
}

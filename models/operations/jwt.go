package operations

import "net/http"

// JWK is an Ed25519 public key in JSON Web Key form, as plex.tv takes and
// publishes them.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg,omitempty"`
	Kid string `json:"kid,omitempty"`
}

// RegisterDeviceKeyResponse is the answer of RegisterDeviceKey.
type RegisterDeviceKeyResponse struct {
	// ContentType is the HTTP Content-Type of the response.
	ContentType string `json:"-"`
	// StatusCode is the HTTP status of the response.
	StatusCode int `json:"-"`
	// RawResponse is the HTTP response; its body has been read and closed.
	RawResponse *http.Response `json:"-"`
}

// GetNonceResponse is the answer of GetNonce.
type GetNonceResponse struct {
	// ContentType is the HTTP Content-Type of the response.
	ContentType string `json:"-"`
	// StatusCode is the HTTP status of the response.
	StatusCode int `json:"-"`
	// RawResponse is the HTTP response; its body has been read and closed.
	RawResponse *http.Response `json:"-"`
	// Nonce is single use and valid for about five minutes.
	Nonce string `json:"nonce"`
}

// ExchangeDeviceJWTResponse is the answer of ExchangeDeviceJWT.
type ExchangeDeviceJWTResponse struct {
	// ContentType is the HTTP Content-Type of the response.
	ContentType string `json:"-"`
	// StatusCode is the HTTP status of the response.
	StatusCode int `json:"-"`
	// RawResponse is the HTTP response; its body has been read and closed.
	RawResponse *http.Response `json:"-"`
	// AuthToken is the Plex JWT (valid about seven days). Never printed by
	// String.
	AuthToken string `json:"auth_token"`
}

// String never shows the token.
func (r ExchangeDeviceJWTResponse) String() string {
	return "ExchangeDeviceJWTResponse{StatusCode:" + itoa(int64(r.StatusCode)) + " AuthToken:REDACTED}"
}

// GetPublicKeysResponse is the answer of GetPublicKeys.
type GetPublicKeysResponse struct {
	// ContentType is the HTTP Content-Type of the response.
	ContentType string `json:"-"`
	// StatusCode is the HTTP status of the response.
	StatusCode int `json:"-"`
	// RawResponse is the HTTP response; its body has been read and closed.
	RawResponse *http.Response `json:"-"`
	// Keys are plex.tv's current JWT signing keys.
	Keys []JWK `json:"keys"`
}

package wire

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
)

// sharedSeeds are response examples stored once elsewhere in the module
// (testutil.Fixture finds them) that also seed these fuzz targets.
func sharedSeeds() []string {
	return []string{"security-resources-200.json", "signin-201.json", "transient-token-200.json", "user-200.json"}
}

// addSeeds adds every testdata file and shared seed matching pattern to
// the corpus, so the seeds also run in plain go test.
func addSeeds(f *testing.F, pattern string, add func(name string, data []byte)) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		f.Fatalf("seed files for %s: %v", pattern, err)
	}
	n := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		add(filepath.Base(name), data)
		n++
	}
	for _, name := range sharedSeeds() {
		if ok, _ := filepath.Match(pattern, name); ok {
			add(name, testutil.Fixture(f, name))
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no seed files for %s", pattern)
	}
}

// wantDecodeErr fails unless err is nil or wraps ErrUnexpectedContent.
func wantDecodeErr(t *testing.T, err error) {
	t.Helper()
	if err != nil && !errors.Is(err, sdkerrors.ErrUnexpectedContent) {
		t.Fatalf("decode error %v does not wrap ErrUnexpectedContent", err)
	}
}

// useAccount exercises the account's methods on whatever was decoded.
func useAccount(u *components.UserPlexAccount) {
	_ = u.String()
	_ = u.GoString()
	_ = u.JoinedTime()
	_ = u.RememberExpiresTime()
	_ = u.HasFeature(components.FeatureSync)
	_ = u.PlexPass()
	if u.Subscription != nil {
		_ = u.Subscription.SubscribedTime()
	}
	for _, s := range u.Subscriptions {
		_ = s.SubscribedTime()
		_ = s.Status.IsKnown()
	}
	_ = u.MailingListStatus.IsKnown()
	_ = u.Profile.AutoSelectSubtitle.IsKnown()
}

func FuzzDecodeUserAccountJSON(f *testing.F) {
	addSeeds(f, "*.json", func(_ string, data []byte) { f.Add(data) })
	f.Add([]byte(`{"pastSubscriptions":[{"id":1,"mode":true,"billing":null}],"trials":[1,"x",{}],"profile":{"autoSelectSubtitle":-3}}`))
	f.Add([]byte(`{"subscription":{"features":[null,1]}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var u components.UserPlexAccount
		err := decode(&Call{Out: &u}, "application/json", data)
		wantDecodeErr(t, err)
		useAccount(&u)
	})
}

func FuzzDecodeUserAccountXML(f *testing.F) {
	addSeeds(f, "*.xml", func(_ string, data []byte) { f.Add(data) })
	f.Add([]byte(`<user><subscription><features><feature/><feature id="a" id="b"/></features></subscription></user>`))
	f.Add([]byte(`<user joinedAt="x" id="-1"><roles><role><role id="nested"/></role></roles></user>`))
	f.Add([]byte(`<!DOCTYPE user [<!ENTITY a "aaaa">]><user title="&a;"/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var u components.UserPlexAccount
		err := decode(&Call{Out: &u}, "application/xml", data)
		wantDecodeErr(t, err)
		useAccount(&u)
	})
}

// FuzzDecodeErrorBody sends an arbitrary answer through Client.Do with a
// stub transport: whatever the status, content type and body, the call
// must not panic, and a failure must be an *sdkerrors.APIError matching
// the sentinels of its status, or wrap ErrUnexpectedContent or
// ErrResponseTooLarge.
func FuzzDecodeErrorBody(f *testing.F) {
	addSeeds(f, "*", func(name string, data []byte) {
		ct := "application/json"
		if strings.HasSuffix(name, ".xml") {
			ct = "application/xml"
		}
		status := 200
		for _, s := range []struct {
			code int
			tag  string
		}{{400, "-400"}, {401, "-401"}, {404, "-404"}} {
			if strings.Contains(name, s.tag) {
				status = s.code
			}
		}
		f.Add(uint16(status), ct, data)
	})
	f.Add(uint16(401), "text/html", []byte("<html><title>401 Unauthorized</title></html>"))
	f.Add(uint16(429), "", []byte(`{"errors":[{"code":1031}]}`))
	f.Add(uint16(498), "application/json", []byte(`{"error":"expired"}`))
	f.Add(uint16(204), "", []byte(nil))
	f.Add(uint16(999), "text/plain; charset=\"", []byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, status uint16, ct string, body []byte) {
		code := int(status%500) + 100 // 100..599
		if code < 200 {
			code += 100
		}
		c := stubClient(stub(code, http.Header{"Content-Type": {ct}, "Retry-After": {"1"}}, string(body)))
		c.MaxBody = 2048
		for _, op := range []string{"getTokenDetails", "post-users-sign-in-data", "getTransientToken", "getPin"} {
			var u components.UserPlexAccount
			m, err := c.Do(t.Context(), &Call{Op: op, Method: http.MethodGet, Host: PlexTV, Path: "x", Out: &u}, nil)
			if err == nil {
				if m.StatusCode != code || m.StatusCode < 200 || m.StatusCode > 299 {
					t.Fatalf("success with status %d", m.StatusCode)
				}
				if _, err := io.ReadAll(m.RawResponse.Body); err != nil {
					t.Fatal(err)
				}
				useAccount(&u)
				continue
			}
			var apiErr *sdkerrors.APIError
			switch {
			case errors.As(err, &apiErr):
				if code >= 200 && code <= 299 {
					t.Fatalf("APIError for %d", code)
				}
				if apiErr.StatusCode != code || apiErr.Op != op {
					t.Fatalf("APIError %d/%s for %d/%s", apiErr.StatusCode, apiErr.Op, code, op)
				}
				if errors.Is(err, sdkerrors.ErrUnauthorized) != (code == 401) ||
					errors.Is(err, sdkerrors.ErrServer) != (code >= 500) ||
					errors.Is(err, sdkerrors.ErrRateLimited) != (code == 429) {
					t.Fatalf("sentinels do not follow status %d: %v", code, err)
				}
				for _, pe := range apiErr.Errors {
					if pe.Code == sdkerrors.CodeVerificationRequired && !errors.Is(err, sdkerrors.ErrVerificationCodeRequired) {
						t.Fatalf("code 1029 without its sentinel")
					}
				}
				if len(apiErr.Body) > 4096 {
					t.Fatalf("Body holds %d bytes", len(apiErr.Body))
				}
				if detect(ct, body) == formatHTML && strings.ContainsAny(apiErr.Message, "<>") {
					t.Fatalf("HTML markup in message %q", apiErr.Message)
				}
				_ = err.Error()
			case errors.Is(err, sdkerrors.ErrUnexpectedContent), errors.Is(err, sdkerrors.ErrResponseTooLarge):
				if code < 200 || code > 299 {
					t.Fatalf("decode error for status %d: %v", code, err)
				}
			default:
				t.Fatalf("unclassified error %T: %v", err, err)
			}
		}
	})
}

// FuzzDecodeMediaContainer decodes PMS answers into each MediaContainer
// the SDK reads, the way the operations wrap them (JSON under a
// "MediaContainer" member, XML as the root element).
func FuzzDecodeMediaContainer(f *testing.F) {
	for _, pattern := range []string{"identity-*", "transient-token-*", "security-resources-*", "myplex-account-*"} {
		addSeeds(f, pattern, func(name string, data []byte) { f.Add(strings.HasSuffix(name, ".xml"), data) })
	}
	f.Add(false, []byte(`{"MediaContainer":{"Device":{"Connection":{"port":"x"}}}}`))
	f.Add(true, []byte(`<MediaContainer size="x"><Device><Connection port="99999999999999999999"/></Device></MediaContainer>`))
	f.Add(false, []byte(`{"MediaContainer":null}`))
	f.Fuzz(func(t *testing.T, isXML bool, data []byte) {
		ct := "application/json"
		if isXML {
			ct = "text/xml;charset=utf-8"
		}
		var tt operations.GetTransientTokenMediaContainer
		var sc operations.GetSourceConnectionInformationMediaContainer
		var id operations.Identity
		var info operations.ServerInfo
		targets := []struct{ out, xmlOut any }{
			{&struct {
				MediaContainer *operations.GetTransientTokenMediaContainer `json:"MediaContainer"`
			}{&tt}, &tt},
			{&struct {
				MediaContainer *operations.GetSourceConnectionInformationMediaContainer `json:"MediaContainer"`
			}{&sc}, &sc},
			{&struct {
				MediaContainer *operations.Identity `json:"MediaContainer"`
			}{&id}, &id},
			{&struct {
				MediaContainer *operations.ServerInfo `json:"MediaContainer"`
			}{&info}, &info},
		}
		for _, tg := range targets {
			wantDecodeErr(t, decode(&Call{Out: tg.out, XMLOut: tg.xmlOut}, ct, data))
		}
		_ = tt.String()
		if d := sc.Device; d != nil {
			// The printed form does not depend on the token.
			other := *d
			other.AccessToken = "something else"
			if d.String() != other.String() || d.GoString() != other.GoString() {
				t.Fatal("device token printed")
			}
		}
		resp := &operations.GetSourceConnectionInformationResponse{MediaContainer: &sc}
		_ = resp.GetDevice()
	})
}

package plexgo_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/components"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/models/sdkerrors"
	"github.com/plexkit/plexgo/plextest"
)

// A body from a newer plex.tv: unknown members, enum values and feature
// names. All must decode, and the unknown values must be kept as they are.
const futureUserJSON = `{
  "id": 7, "uuid": "u7", "username": "future", "authToken": "future-token-value",
  "brandNewTopLevelField": {"nested": [1, 2, {"x": null}]},
  "mailingListStatus": "double-opt-in-pending",
  "subscription": {"active": true, "status": "Suspended", "features": ["pass", "quantum-transcoding"], "newSubField": 1},
  "profile": {"autoSelectSubtitle": 7, "defaultSubtitleAccessibility": 9, "defaultSubtitleForced": 4,
              "watchedIndicator": 5, "mediaReviewsVisibility": 11, "defaultAudioAccessibility": 6, "extra": "x"},
  "services": [{"identifier": "x", "endpoint": "https://x", "status": "degraded", "token": null}],
  "roles": ["plexpass", "role-from-2030"],
  "entitlements": ["ios", "holo-lens"],
  "pastSubscriptions": [{"id": 12345, "mode": 2, "state": "paused", "type": "plexpass", "billing": {"paymentMethodId": 9, "internalPaymentMethod": {"a": 1}}}],
  "trials": [{"anything": true}]
}`

const futureUserXML = `<?xml version="1.0" encoding="UTF-8"?>
<user id="7" uuid="u7" username="future" authToken="future-token-value" mailingListStatus="double-opt-in-pending" brandNewAttr="1">
  <subscription active="1" status="Suspended" newSubAttr="y"><features><feature id="pass"/><feature id="quantum-transcoding"/></features></subscription>
  <profile autoSelectSubtitle="7" defaultSubtitleAccessibility="9" defaultSubtitleForced="4" watchedIndicator="5" mediaReviewsVisibility="11" defaultAudioAccessibility="6"/>
  <services><service identifier="x" endpoint="https://x" status="degraded"/></services>
  <roles><role id="plexpass"/><role id="role-from-2030"/></roles>
  <entitlements><entitlement id="ios"/><entitlement id="holo-lens"/></entitlements>
  <brandNewElement><child a="b">text</child></brandNewElement>
</user>
`

func TestUnknownValuesKept(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ct, body string
		fmt            format
	}{
		{"JSON", "application/json", futureUserJSON, formats[0]},
		{"XML", "application/xml", futureUserXML, formats[1]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			fake.InjectFault("GET /api/v2/user", plextest.Fault{ContentType: tc.ct, Body: tc.body, Times: 1})
			s := newClient(t, fake, alice(t, fake).AuthToken, tc.fmt.opt(t))
			res, err := s.Authentication.GetTokenDetails(ctx(t))
			if err != nil {
				t.Fatalf("decoding a future body: %v", err)
			}
			u := res.UserPlexAccount
			if u.ID != 7 || u.Username != "future" {
				t.Errorf("known fields lost: %v", u)
			}
			if u.MailingListStatus != "double-opt-in-pending" || u.MailingListStatus.IsKnown() {
				t.Errorf("mailingListStatus %q", u.MailingListStatus)
			}
			if u.Subscription == nil || u.Subscription.Status != "Suspended" || u.Subscription.Status.IsKnown() {
				t.Fatalf("subscription %+v", u.Subscription)
			}
			if !u.HasFeature("quantum-transcoding") || !u.HasFeature(components.FeaturePass) {
				t.Errorf("features %v", u.Subscription.Features)
			}
			p := u.Profile
			if p.AutoSelectSubtitle != 7 || p.AutoSelectSubtitle.IsKnown() || p.DefaultSubtitleAccessibility != 9 ||
				p.DefaultSubtitleForced != 4 || p.WatchedIndicator != 5 || p.MediaReviewsVisibility != 11 ||
				p.DefaultAudioAccessibility != 6 || p.DefaultAudioAccessibility.IsKnown() {
				t.Errorf("profile %+v", p)
			}
			if len(u.Services) != 1 || u.Services[0].Status != "degraded" || u.Services[0].Status.IsKnown() {
				t.Errorf("services %+v", u.Services)
			}
			if len(u.Roles) != 2 || u.Roles[1] != "role-from-2030" || len(u.Entitlements) != 2 || u.Entitlements[1] != "holo-lens" {
				t.Errorf("roles %v entitlements %v", u.Roles, u.Entitlements)
			}
			if tc.name == "JSON" {
				if len(u.PastSubscriptions) != 1 || u.PastSubscriptions[0].State != "paused" || *u.PastSubscriptions[0].ID != "12345" || len(u.Trials) != 1 {
					t.Errorf("pastSubscriptions %+v trials %d", u.PastSubscriptions, len(u.Trials))
				}
			}
			// Unknown members are not modelled, but the raw body keeps them.
			raw, err := io.ReadAll(res.RawResponse.Body)
			if err != nil || !strings.Contains(string(raw), "brandNew") {
				t.Errorf("raw body lost unknown members (%v)", err)
			}
		})
	}
}

func TestSuccessStatuses(t *testing.T) {
	t.Parallel()
	user := testutil.Fixture(t, "user-200.json")
	for _, status := range []int{200, 201, 202, 203, 204, 206} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if status == http.StatusNoContent {
					w.WriteHeader(status)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				switch r.URL.Path {
				case "/api/v2/resources":
					_, _ = io.WriteString(w, "[]")
				default:
					_, _ = w.Write(user)
				}
			}))
			t.Cleanup(srv.Close)
			s := plexgo.New(plexgo.WithPlexTVURL(srv.URL), plexgo.WithServerURL(srv.URL), plexgo.WithSecurity("tok"),
				plexgo.WithXPlexClientIdentifier(testClientID), plexgo.WithClient(httpClient(t, nil)))

			// Operations without a body model succeed on every 2xx.
			if r, err := s.Authentication.Ping(ctx(t)); err != nil || r.StatusCode != status {
				t.Errorf("Ping: %v %v", r, err)
			}
			if r, err := s.Authentication.SignOut(ctx(t)); err != nil || r.StatusCode != status {
				t.Errorf("SignOut: %v %v", r, err)
			}
			if r, err := s.Plex.LinkPin(ctx(t), "ABCD"); err != nil || r.StatusCode != status {
				t.Errorf("LinkPin: %v %v", r, err)
			}
			if r, err := s.Authentication.RegisterDeviceKey(ctx(t), testJWK(t)); err != nil || r.StatusCode != status {
				t.Errorf("RegisterDeviceKey: %v %v", r, err)
			}
			// An empty resource list may come as 204.
			if r, err := s.Plex.GetResources(ctx(t), operations.GetResourcesRequest{}); err != nil || r.StatusCode != status || len(r.Resources) != 0 {
				t.Errorf("GetResources: %v %v", r, err)
			}

			// Operations that return an account succeed on any 2xx with a
			// body; a 204 cannot carry the account and says so.
			_, err := s.Authentication.GetTokenDetails(ctx(t))
			_, err2 := s.Authentication.PostUsersSignInData(ctx(t), nil, &operations.PostUsersSignInDataRequestBody{Login: "a", Password: "b"})
			for _, err := range []error{err, err2} {
				if status == http.StatusNoContent {
					if !errors.Is(err, sdkerrors.ErrUnexpectedContent) {
						t.Errorf("204 where an account was expected: %v", err)
					}
				} else if err != nil {
					t.Errorf("status %d: %v", status, err)
				}
			}
		})
	}
}

// Bodies that cannot be decoded fail with clear errors wrapping the
// sdkerrors sentinels, never a panic.
func TestBadBodies(t *testing.T) {
	t.Parallel()
	const captive = `<!DOCTYPE html><html><head><title>Hotel Wi-Fi Login</title></head><body><form>…</form></body></html>`
	cases := []struct {
		name     string
		fault    plextest.Fault
		max      int64
		want     error
		requests int // requests the client sends (GETs retry truncated bodies)
		msg      string
	}{
		{"oversize", plextest.Fault{Oversize: 64 << 10}, 16 << 10, sdkerrors.ErrResponseTooLarge, 1, "too large"},
		{"truncated", plextest.Fault{Truncate: true}, 0, sdkerrors.ErrUnexpectedContent, 3, "reading response"},
		{"malformed JSON", plextest.Fault{ContentType: "application/json", Body: `{"id": 1, "username": "x`}, 0, sdkerrors.ErrUnexpectedContent, 1, "decoding JSON"},
		{"wrong JSON type", plextest.Fault{ContentType: "application/json", Body: `{"id": "seven"}`}, 0, sdkerrors.ErrUnexpectedContent, 1, "decoding JSON"},
		{"JSON array", plextest.Fault{ContentType: "application/json", Body: `[1,2,3]`}, 0, sdkerrors.ErrUnexpectedContent, 1, "decoding JSON"},
		{"malformed XML", plextest.Fault{ContentType: "application/xml", Body: `<user id="1"><subscription></user>`}, 0, sdkerrors.ErrUnexpectedContent, 1, "decoding XML"},
		{"HTML 200", plextest.Fault{ContentType: "text/html"}, 0, sdkerrors.ErrUnexpectedContent, 1, "HTML page"},
		{"captive portal", plextest.Fault{ContentType: "text/html; charset=utf-8", Body: captive}, 0, sdkerrors.ErrUnexpectedContent, 1, "Hotel Wi-Fi Login"},
		{"sniffed HTML", plextest.Fault{ContentType: "application/octet-stream", Body: captive}, 0, sdkerrors.ErrUnexpectedContent, 1, "HTML page"},
		{"plain text", plextest.Fault{ContentType: "text/plain", Body: "hello"}, 0, sdkerrors.ErrUnexpectedContent, 1, "content type"},
		{"empty", plextest.Fault{ContentType: "application/json", Body: " "}, 0, sdkerrors.ErrUnexpectedContent, 1, "empty body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			fake.InjectFault("GET /api/v2/user", tc.fault)
			var opts []plexgo.SDKOption
			if tc.max > 0 {
				opts = append(opts, plexgo.WithMaxResponseBytes(tc.max))
			}
			s := newClient(t, fake, alice(t, fake).AuthToken, opts...)
			res, err := s.Authentication.GetTokenDetails(ctx(t))
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v (res %v), want %v", err, res, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), "getTokenDetails") {
				t.Errorf("error %q does not say %q and name the operation", err, tc.msg)
			}
			if strings.Contains(tc.fault.Body+tc.fault.ContentType, "html") && strings.Contains(err.Error(), "<") {
				t.Errorf("error %q carries markup", err)
			}
			if got := fake.CountRequests(http.MethodGet, "/api/v2/user"); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
		})
	}
}

// Sign-in is not retried after a truncated answer either.
func TestTruncatedSignInNotRetried(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	fake.InjectFault("POST /api/v2/users/signin", plextest.Fault{Truncate: true})
	s := newClient(t, fake, "")
	_, err := s.Authentication.PostUsersSignInData(ctx(t), nil, &operations.PostUsersSignInDataRequestBody{Login: plextest.DefaultLogin, Password: plextest.DefaultPassword})
	if !errors.Is(err, sdkerrors.ErrUnexpectedContent) {
		t.Fatalf("got %v", err)
	}
	if got := fake.CountRequests(http.MethodPost, "/api/v2/users/signin"); got != 1 {
		t.Errorf("%d sign-in requests, want 1", got)
	}
}

// Oversized and truncated error bodies still map to their status.
func TestBadErrorBodies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault plextest.Fault
	}{
		{"oversize", plextest.Fault{Statuses: []int{401}, Oversize: 1 << 20}},
		{"truncated", plextest.Fault{Statuses: []int{401}, Truncate: true}},
		{"garbage", plextest.Fault{Statuses: []int{401}, ContentType: "application/json", Body: `{"errors": [{"code": "x"`}},
		{"HTML", plextest.Fault{Statuses: []int{401}, ContentType: "text/html"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			fake.InjectFault("GET /api/v2/user", tc.fault)
			s := newClient(t, fake, alice(t, fake).AuthToken, plexgo.WithMaxResponseBytes(1024))
			_, err := s.Authentication.GetTokenDetails(ctx(t))
			if !errors.Is(err, sdkerrors.ErrUnauthorized) {
				t.Fatalf("got %v, want unauthorized", err)
			}
			wantType[sdkerrors.GetTokenDetailsUnauthorized](t, err)
		})
	}
}

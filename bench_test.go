package plexgo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/plextest"
)

// Benchmarks of the four documented operations against an in-process
// server that serves the fixture bytes, beside a hand-written baseline that
// sends the same request with net/http and decodes the same body with
// encoding/json into plain structs (same fields, no custom decoding
// methods). See docs/benchmarks.md for results and how to run them.

const benchToken = "bench-token-0123456789"

// fixtureServer serves the fixtures by path, the way plex.tv and PMS
// answer with Accept: application/json.
func fixtureServer(b *testing.B) *httptest.Server {
	b.Helper()
	load := func(name string) []byte { return testutil.Fixture(b, name) }
	routes := map[string]struct {
		status int
		body   []byte
	}{
		"POST /security/token":      {200, load("transient-token-200.json")},
		"GET /security/resources":   {200, load("security-resources-200.json")},
		"GET /api/v2/user":          {200, load("user-200.json")},
		"POST /api/v2/users/signin": {201, load("signin-201.json")},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, ok := routes[r.Method+" "+r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
		}
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["Content-Length"] = []string{fmt.Sprint(len(rt.body))}
		w.WriteHeader(rt.status)
		_, _ = w.Write(rt.body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// ---- the baseline: plain net/http + encoding/json ----

type baseProfile struct {
	AutoSelectAudio              bool     `json:"autoSelectAudio"`
	DefaultAudioLanguage         *string  `json:"defaultAudioLanguage"`
	DefaultAudioAccessibility    int      `json:"defaultAudioAccessibility"`
	DefaultAudioLanguages        []string `json:"defaultAudioLanguages"`
	DefaultSubtitleLanguage      *string  `json:"defaultSubtitleLanguage"`
	DefaultSubtitleLanguages     []string `json:"defaultSubtitleLanguages"`
	AutoSelectSubtitle           int      `json:"autoSelectSubtitle"`
	DefaultSubtitleAccessibility int      `json:"defaultSubtitleAccessibility"`
	DefaultSubtitleForced        int      `json:"defaultSubtitleForced"`
	WatchedIndicator             int      `json:"watchedIndicator"`
	MediaReviewsVisibility       int      `json:"mediaReviewsVisibility"`
	MediaReviewsLanguages        []string `json:"mediaReviewsLanguages"`
}

type baseSubscription struct {
	Active         bool     `json:"active"`
	SubscribedAt   *string  `json:"subscribedAt"`
	Status         string   `json:"status"`
	PaymentService *string  `json:"paymentService"`
	Plan           *string  `json:"plan"`
	Features       []string `json:"features"`
}

type baseService struct {
	Identifier string  `json:"identifier"`
	Endpoint   string  `json:"endpoint"`
	Token      *string `json:"token"`
	Secret     *string `json:"secret"`
	Status     string  `json:"status"`
}

type basePastSubscription struct {
	ID            any     `json:"id"`
	Mode          any     `json:"mode"`
	RenewsAt      *int64  `json:"renewsAt"`
	EndsAt        *int64  `json:"endsAt"`
	Canceled      bool    `json:"canceled"`
	GracePeriod   bool    `json:"gracePeriod"`
	OnHold        bool    `json:"onHold"`
	CanReactivate bool    `json:"canReactivate"`
	CanUpgrade    bool    `json:"canUpgrade"`
	CanDowngrade  bool    `json:"canDowngrade"`
	CanConvert    bool    `json:"canConvert"`
	Type          string  `json:"type"`
	Transfer      *string `json:"transfer"`
	State         string  `json:"state"`
	Billing       *struct {
		PaymentMethodID *int64 `json:"paymentMethodId"`
	} `json:"billing"`
}

type baseAccount struct {
	ID                      int64                  `json:"id"`
	UUID                    string                 `json:"uuid"`
	Username                string                 `json:"username"`
	Title                   string                 `json:"title"`
	Email                   string                 `json:"email"`
	FriendlyName            string                 `json:"friendlyName"`
	Locale                  *string                `json:"locale"`
	Confirmed               bool                   `json:"confirmed"`
	JoinedAt                int64                  `json:"joinedAt"`
	EmailOnlyAuth           bool                   `json:"emailOnlyAuth"`
	HasPassword             bool                   `json:"hasPassword"`
	Protected               bool                   `json:"protected"`
	Thumb                   string                 `json:"thumb"`
	AuthToken               string                 `json:"authToken"`
	MailingListStatus       string                 `json:"mailingListStatus"`
	MailingListActive       bool                   `json:"mailingListActive"`
	ScrobbleTypes           string                 `json:"scrobbleTypes"`
	Country                 string                 `json:"country"`
	Pin                     string                 `json:"pin,omitempty"`
	Subscription            *baseSubscription      `json:"subscription"`
	SubscriptionDescription *string                `json:"subscriptionDescription"`
	Restricted              bool                   `json:"restricted"`
	Anonymous               *bool                  `json:"anonymous"`
	Home                    bool                   `json:"home"`
	Guest                   bool                   `json:"guest"`
	HomeSize                int                    `json:"homeSize"`
	HomeAdmin               bool                   `json:"homeAdmin"`
	MaxHomeSize             int                    `json:"maxHomeSize"`
	RememberExpiresAt       int64                  `json:"rememberExpiresAt"`
	Profile                 baseProfile            `json:"profile"`
	Entitlements            []string               `json:"entitlements"`
	Roles                   []string               `json:"roles"`
	Services                []baseService          `json:"services"`
	Subscriptions           []baseSubscription     `json:"subscriptions"`
	PastSubscriptions       []basePastSubscription `json:"pastSubscriptions,omitempty"`
	Trials                  []json.RawMessage      `json:"trials,omitempty"`
	AdsConsent              *bool                  `json:"adsConsent"`
	AdsConsentSetAt         *int64                 `json:"adsConsentSetAt"`
	AdsConsentReminderAt    *int64                 `json:"adsConsentReminderAt"`
	ExperimentalFeatures    bool                   `json:"experimentalFeatures"`
	TwoFactorEnabled        bool                   `json:"twoFactorEnabled"`
	BackupCodesCreated      bool                   `json:"backupCodesCreated"`
	AttributionPartner      *string                `json:"attributionPartner"`
}

type baseTransient struct {
	MediaContainer struct {
		Size  int    `json:"size"`
		Token string `json:"token"`
	} `json:"MediaContainer"`
}

type baseSource struct {
	MediaContainer struct {
		Size   int `json:"size"`
		Device *struct {
			Name             string `json:"name"`
			ClientIdentifier string `json:"clientIdentifier"`
			AccessToken      string `json:"accessToken"`
			Connections      []struct {
				Protocol string `json:"protocol"`
				Address  string `json:"address"`
				Port     int    `json:"port"`
				URI      string `json:"uri"`
				Local    bool   `json:"local"`
				Relay    bool   `json:"relay"`
			} `json:"Connection"`
		} `json:"Device"`
	} `json:"MediaContainer"`
}

// baseline sends one request the way a careful hand-written client would:
// the same headers, the body read with a size limit, the status checked,
// and the JSON decoded into out.
type baseline struct {
	hc     *http.Client
	base   string
	header http.Header
}

func newBaseline(b *testing.B, base string) *baseline {
	h := http.Header{}
	h.Set("Accept", "application/json")
	h.Set("User-Agent", "baseline/1")
	h.Set("X-Plex-Client-Identifier", testClientID)
	h.Set("X-Plex-Product", "plexgo")
	h.Set("X-Plex-Version", plexgo.Version)
	h.Set("X-Plex-Platform", "Linux")
	h.Set("X-Plex-Device-Name", "bench")
	return &baseline{hc: httpClient(b, nil), base: base, header: h}
}

func (bl *baseline) do(ctx context.Context, method, path string, query url.Values, form url.Values, token bool, out any) error {
	u := bl.base + path
	if query != nil {
		u += "?" + query.Encode()
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	req.Header = bl.header.Clone()
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token {
		req.Header.Set("X-Plex-Token", benchToken)
	}
	resp, err := bl.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, plexgo.DefaultMaxResponseBytes+1))
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.Unmarshal(data, out)
}

// ---- benchmarks ----

type benchOp struct {
	name string
	sdk  func(ctx context.Context, s *plexgo.PlexAPI) error
	base func(ctx context.Context, bl *baseline) error
}

var benchOps = []benchOp{
	{
		"GetTransientToken",
		func(ctx context.Context, s *plexgo.PlexAPI) error {
			res, err := s.Authentication.GetTransientToken(ctx, operations.GetTransientTokenQueryParamTypeDelegation, operations.ScopeAll)
			if err == nil && res.GetToken() == "" {
				err = fmt.Errorf("no token")
			}
			return err
		},
		func(ctx context.Context, bl *baseline) error {
			var out baseTransient
			err := bl.do(ctx, http.MethodPost, "/security/token", url.Values{"type": {"delegation"}, "scope": {"all"}}, nil, true, &out)
			if err == nil && out.MediaContainer.Token == "" {
				err = fmt.Errorf("no token")
			}
			return err
		},
	},
	{
		"GetSourceConnectionInformation",
		func(ctx context.Context, s *plexgo.PlexAPI) error {
			res, err := s.Authentication.GetSourceConnectionInformation(ctx, "server://ae35f677ff5689c9a56f4331f107f77957ab7feb")
			if err == nil && len(res.GetDevice().Connections) != 2 {
				err = fmt.Errorf("connections not decoded")
			}
			return err
		},
		func(ctx context.Context, bl *baseline) error {
			var out baseSource
			err := bl.do(ctx, http.MethodGet, "/security/resources", url.Values{"source": {"server://ae35f677ff5689c9a56f4331f107f77957ab7feb"}}, nil, true, &out)
			if err == nil && len(out.MediaContainer.Device.Connections) != 2 {
				err = fmt.Errorf("connections not decoded")
			}
			return err
		},
	},
	{
		"GetTokenDetails",
		func(ctx context.Context, s *plexgo.PlexAPI) error {
			res, err := s.Authentication.GetTokenDetails(ctx)
			if err == nil && res.UserPlexAccount.ID == 0 {
				err = fmt.Errorf("account not decoded")
			}
			return err
		},
		func(ctx context.Context, bl *baseline) error {
			var out baseAccount
			err := bl.do(ctx, http.MethodGet, "/api/v2/user", nil, nil, true, &out)
			if err == nil && out.ID == 0 {
				err = fmt.Errorf("account not decoded")
			}
			return err
		},
	},
	{
		"PostUsersSignInData",
		func(ctx context.Context, s *plexgo.PlexAPI) error {
			res, err := s.Authentication.PostUsersSignInData(ctx, nil, &operations.PostUsersSignInDataRequestBody{
				Login: "username@email.com", Password: "password123", VerificationCode: plexgo.String("123456"),
			})
			if err == nil && res.UserPlexAccount.ID == 0 {
				err = fmt.Errorf("account not decoded")
			}
			return err
		},
		func(ctx context.Context, bl *baseline) error {
			var out baseAccount
			form := url.Values{"login": {"username@email.com"}, "password": {"password123"}, "rememberMe": {"false"}, "verificationCode": {"123456"}}
			err := bl.do(ctx, http.MethodPost, "/api/v2/users/signin", nil, form, false, &out)
			if err == nil && out.ID == 0 {
				err = fmt.Errorf("account not decoded")
			}
			return err
		},
	},
}

// BenchmarkOps runs each operation with the SDK ("plexgo") and with the
// baseline ("baseline") against the same fixture server.
func BenchmarkOps(b *testing.B) {
	srv := fixtureServer(b)
	for _, op := range benchOps {
		b.Run(op.name+"/plexgo", func(b *testing.B) {
			s := newClientAt(b, srv.URL, srv.URL, benchToken, plexgo.WithDeviceName("bench"))
			ctx := context.Background()
			if err := op.sdk(ctx, s); err != nil { // warm the connection
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := op.sdk(ctx, s); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(op.name+"/baseline", func(b *testing.B) {
			bl := newBaseline(b, srv.URL)
			ctx := context.Background()
			if err := op.base(ctx, bl); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := op.base(ctx, bl); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecode isolates decoding: the SDK's models against the plain
// baseline structs, on the same bytes.
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"user-200.json", "signin-201.json"} {
		data := testutil.Fixture(b, name)
		b.Run(name+"/plexgo", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var u operations.GetTokenDetailsUserPlexAccount
				if err := json.NewDecoder(bytes.NewReader(data)).Decode(&u); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/baseline", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var u baseAccount
				if err := json.NewDecoder(bytes.NewReader(data)).Decode(&u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPlextest runs GetTokenDetails against the full fake, which
// includes the fake's own work (auth, request log); useful to compare
// releases, not against the baseline.
func BenchmarkPlextest(b *testing.B) {
	fake := plextest.NewServer(b)
	acct, _ := fake.Account(plextest.DefaultLogin)
	s := newClient(b, fake, acct.AuthToken)
	ctx := context.Background()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := s.Authentication.GetTokenDetails(ctx); err != nil {
			b.Fatal(err)
		}
		if n++; n%1000 == 0 {
			fake.ResetRequests() // keep the fake's request log small
		}
	}
}

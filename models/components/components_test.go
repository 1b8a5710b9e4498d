package components_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/components"
)

func TestFlexString(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`"08001"`: "08001",
		`8001`:    "8001",
		`-1.5e3`:  "-1.5e3",
		`true`:    "true",
		`null`:    "",
		`""`:      "",
	}
	for in, want := range cases {
		var s components.FlexString
		if err := json.Unmarshal([]byte(in), &s); err != nil || string(s) != want {
			t.Errorf("FlexString(%s) = %q, %v; want %q", in, s, err, want)
		}
	}
	for _, in := range []string{`{}`, `[]`, `"unterminated`} {
		var s components.FlexString
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("FlexString(%s) accepted", in)
		}
	}
	// Direct calls with junk never panic.
	var s components.FlexString
	for _, in := range []string{"", " ", "nul", "tru", "0x1"} {
		_ = s.UnmarshalJSON([]byte(in))
	}
}

func TestSecurityNeverPrints(t *testing.T) {
	t.Parallel()
	tok := "security-secret-1"
	for _, s := range []any{components.Security{AccessToken: &tok}, &components.Security{AccessToken: &tok}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			if out := fmt.Sprintf(verb, s); strings.Contains(out, tok) {
				t.Errorf("%s: token leaked", verb)
			} else if !strings.Contains(out, "REDACTED") {
				t.Errorf("%s printed %q", verb, out)
			}
		}
	}
	if got := fmt.Sprint(components.Security{}); got != "Security{}" {
		t.Errorf("empty security prints %q", got)
	}
	var nilSec *components.Security
	if nilSec.GetAccessToken() != "" {
		t.Error("nil security has a token")
	}
	if (&components.Security{AccessToken: &tok}).GetAccessToken() != tok {
		t.Error("GetAccessToken")
	}
}

func TestEnums(t *testing.T) {
	t.Parallel()
	known := []interface{ IsKnown() bool }{
		components.MailingListStatusActive, components.MailingListStatusUnsubscribed, components.MailingListStatusRemoved,
		components.SubscriptionStatusActive, components.SubscriptionStatusInactive,
		components.ServiceStatusOnline, components.ServiceStatusOffline,
		components.AutoSelectSubtitleManual, components.AutoSelectSubtitleForeignAudio, components.AutoSelectSubtitleAlways,
		components.DefaultSubtitleAccessibility(3), components.DefaultAudioAccessibility(0), components.DefaultSubtitleForced(2),
		components.WatchedIndicator(1), components.MediaReviewsVisibility(3),
	}
	for _, v := range known {
		if !v.IsKnown() {
			t.Errorf("%T(%v) unknown", v, v)
		}
	}
	unknown := []interface{ IsKnown() bool }{
		components.MailingListStatus("pending"), components.SubscriptionStatus("active"), components.ServiceStatus("degraded"),
		components.AutoSelectSubtitle(3), components.AutoSelectSubtitle(-1), components.DefaultSubtitleAccessibility(4),
		components.DefaultAudioAccessibility(-1), components.DefaultSubtitleForced(9), components.WatchedIndicator(4),
		components.MediaReviewsVisibility(7),
	}
	for _, v := range unknown {
		if v.IsKnown() {
			t.Errorf("%T(%v) known", v, v)
		}
	}
}

func TestAccountJSON(t *testing.T) {
	t.Parallel()
	const body = `{"id":1,"username":"u","email":"e@x","authToken":"acct-secret-9","joinedAt":1556281940,"rememberExpiresAt":0,
	  "subscription":{"active":true,"subscribedAt":"2021-04-12T18:21:12Z","status":"Active","features":["sync","future-x"]},
	  "profile":{"autoSelectSubtitle":2,"defaultSubtitleLanguages":["en"]},
	  "pastSubscriptions":[{"id":"a1","mode":7,"renewsAt":null,"endsAt":1700000000,"state":"ended","billing":{"paymentMethodId":null}}],
	  "trials":[{"x":1}], "adsConsent":null, "somethingNew":[1,2,3]}`
	var u components.UserPlexAccount
	if err := json.Unmarshal([]byte(body), &u); err != nil {
		t.Fatal(err)
	}
	if !u.HasFeature("future-x") || !u.HasFeature(components.FeatureSync) || u.HasFeature(components.FeatureWebhooks) || !u.PlexPass() {
		t.Errorf("features %v", u.Subscription.Features)
	}
	if got := u.JoinedTime(); !got.Equal(time.Unix(1556281940, 0)) || got.Location() != time.UTC {
		t.Errorf("JoinedTime %v", got)
	}
	if !u.RememberExpiresTime().IsZero() {
		t.Error("zero epoch is not the zero time")
	}
	if got := u.Subscription.SubscribedTime(); got.Year() != 2021 {
		t.Errorf("SubscribedTime %v", got)
	}
	if p := u.PastSubscriptions[0]; *p.ID != "a1" || *p.Mode != "7" || p.RenewsAt != nil || *p.EndsAt != 1700000000 || p.Billing == nil {
		t.Errorf("past subscription %+v", p)
	}
	if u.Profile.AutoSelectSubtitle != components.AutoSelectSubtitleAlways || len(u.Profile.DefaultSubtitleLanguages) != 1 {
		t.Errorf("profile %+v", u.Profile)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{u, &u} {
			testutil.NoSecret(t, verb+" of the account", fmt.Sprintf(verb, v), "acct-secret-9")
		}
	}
	// Nil-safe helpers.
	var nilAcct *components.UserPlexAccount
	if nilAcct.HasFeature(components.FeatureSync) || nilAcct.PlexPass() {
		t.Error("nil account has features")
	}
	var nilSub *components.Subscription
	if !nilSub.SubscribedTime().IsZero() {
		t.Error("nil subscription has a time")
	}
	bad := "yesterday"
	if !(&components.Subscription{SubscribedAt: &bad}).SubscribedTime().IsZero() {
		t.Error("malformed time parsed")
	}
}

func TestAccountXML(t *testing.T) {
	t.Parallel()
	const body = `<?xml version="1.0" encoding="UTF-8"?>
<user id="5" uuid="x" username="u" authToken="t" hasPassword="1" home="0" adsConsent="1" mailingListStatus="new-value">
  <subscription active="1" status="Active"><features><feature id="sync"/><feature id="brand-new"/></features></subscription>
  <profile autoSelectSubtitle="2" watchedIndicator="9"/>
  <roles><role id="plexpass"/></roles>
  <entitlements><entitlement id="ios"/><entitlement id="all"/></entitlements>
  <services><service identifier="m" status="online" token="svc"/></services>
  <pastSubscriptions><pastSubscription id="p1" state="ended" canceled="1"><billing paymentMethodId="3"/></pastSubscription></pastSubscriptions>
</user>`
	var u components.UserPlexAccount
	if err := xml.Unmarshal([]byte(body), &u); err != nil {
		t.Fatal(err)
	}
	if u.ID != 5 || !u.HasPassword || u.AdsConsent == nil || !*u.AdsConsent || u.MailingListStatus != "new-value" {
		t.Errorf("attributes %+v", u)
	}
	if !u.HasFeature("brand-new") || len(u.Roles) != 1 || u.Roles[0] != "plexpass" || len(u.Entitlements) != 2 {
		t.Errorf("lists: features %v roles %v entitlements %v", u.Subscription.Features, u.Roles, u.Entitlements)
	}
	if u.Profile.AutoSelectSubtitle != 2 || u.Profile.WatchedIndicator != 9 {
		t.Errorf("profile %+v", u.Profile)
	}
	if len(u.Services) != 1 || *u.Services[0].Token != "svc" {
		t.Errorf("services %+v", u.Services)
	}
	if len(u.PastSubscriptions) != 1 || !u.PastSubscriptions[0].Canceled || *u.PastSubscriptions[0].Billing.PaymentMethodID != 3 {
		t.Errorf("past subscriptions %+v", u.PastSubscriptions)
	}
}

func ExampleUserPlexAccount_HasFeature() {
	var u components.UserPlexAccount
	_ = json.Unmarshal([]byte(`{"subscription":{"active":true,"features":["webhooks","a-feature-from-the-future"]}}`), &u)
	fmt.Println(u.PlexPass(), u.HasFeature(components.FeatureWebhooks), u.HasFeature("a-feature-from-the-future"))
	// Output: true true true
}

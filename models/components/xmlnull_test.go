package components_test

import (
	"encoding/xml"
	"testing"

	"github.com/plexkit/plexgo/models/components"
)

// plex.tv's XML writes nulls as empty attributes and subscribedAt as
// "2024-03-24 05:13:37 UTC" (captured answers; see plextest's doc).
func TestUserXMLNullsAndDate(t *testing.T) {
	body := `<user id="1" uuid="u" username="a" locale="" anonymous="" adsConsent="" adsConsentSetAt="" subscriptionDescription="">` +
		`<subscription active="1" subscribedAt="2024-03-24 05:13:37 UTC" status="Active" paymentService="" plan="lifetime"/></user>`
	var u components.UserPlexAccount
	if err := xml.Unmarshal([]byte(body), &u); err != nil {
		t.Fatal(err)
	}
	if u.Locale != nil || u.Anonymous != nil || u.AdsConsent != nil || u.AdsConsentSetAt != nil || u.SubscriptionDescription != nil {
		t.Fatal("an empty attribute decoded as a value")
	}
	if u.Subscription == nil || u.Subscription.PaymentService != nil || u.Subscription.Plan == nil || *u.Subscription.Plan != "lifetime" {
		t.Fatalf("subscription = %+v", u.Subscription)
	}
	if got := u.Subscription.SubscribedTime(); got.Year() != 2024 || got.Hour() != 5 || got.Location().String() != "UTC" {
		t.Fatalf("SubscribedTime = %v", got)
	}
}

package components

import (
	"encoding/json"
	"encoding/xml"
	"time"
)

// UserPlexAccount is a plex.tv account as returned by GET /api/v2/user and
// POST /api/v2/users/signin. Nullable wire fields are pointers; times sent
// as unix seconds are int64 with time helpers; enums are open.
//
// It decodes from JSON and from plex.tv's XML form (<user …>).
type UserPlexAccount struct {
	XMLName                 xml.Name           `json:"-" xml:"user"`
	ID                      int64              `json:"id" xml:"id,attr"`
	UUID                    string             `json:"uuid" xml:"uuid,attr"`
	Username                string             `json:"username" xml:"username,attr"`
	Title                   string             `json:"title" xml:"title,attr"`
	Email                   string             `json:"email" xml:"email,attr"`
	FriendlyName            string             `json:"friendlyName" xml:"friendlyName,attr"`
	Locale                  *string            `json:"locale" xml:"locale,attr,omitempty"`
	Confirmed               bool               `json:"confirmed" xml:"confirmed,attr"`
	JoinedAt                int64              `json:"joinedAt" xml:"joinedAt,attr"`
	EmailOnlyAuth           bool               `json:"emailOnlyAuth" xml:"emailOnlyAuth,attr"`
	HasPassword             bool               `json:"hasPassword" xml:"hasPassword,attr"`
	Protected               bool               `json:"protected" xml:"protected,attr"`
	Thumb                   string             `json:"thumb" xml:"thumb,attr"`
	AuthToken               string             `json:"authToken" xml:"authToken,attr"`
	MailingListStatus       MailingListStatus  `json:"mailingListStatus" xml:"mailingListStatus,attr"`
	MailingListActive       bool               `json:"mailingListActive" xml:"mailingListActive,attr"`
	ScrobbleTypes           string             `json:"scrobbleTypes" xml:"scrobbleTypes,attr"`
	Country                 string             `json:"country" xml:"country,attr"`
	Pin                     string             `json:"pin,omitempty" xml:"pin,attr,omitempty"`
	Subscription            *Subscription      `json:"subscription" xml:"subscription"`
	SubscriptionDescription *string            `json:"subscriptionDescription" xml:"subscriptionDescription,attr,omitempty"`
	Restricted              bool               `json:"restricted" xml:"restricted,attr"`
	Anonymous               *bool              `json:"anonymous" xml:"anonymous,attr,omitempty"`
	Home                    bool               `json:"home" xml:"home,attr"`
	Guest                   bool               `json:"guest" xml:"guest,attr"`
	HomeSize                int                `json:"homeSize" xml:"homeSize,attr"`
	HomeAdmin               bool               `json:"homeAdmin" xml:"homeAdmin,attr"`
	MaxHomeSize             int                `json:"maxHomeSize" xml:"maxHomeSize,attr"`
	RememberExpiresAt       int64              `json:"rememberExpiresAt" xml:"rememberExpiresAt,attr"`
	Profile                 UserProfile        `json:"profile" xml:"profile"`
	Entitlements            []Entitlement      `json:"entitlements" xml:"entitlements>entitlement"`
	Roles                   []Role             `json:"roles" xml:"roles>role"`
	Services                []Service          `json:"services" xml:"services>service"`
	Subscriptions           []Subscription     `json:"subscriptions" xml:"subscriptions>subscription"`
	PastSubscriptions       []PastSubscription `json:"pastSubscriptions,omitempty" xml:"pastSubscriptions>pastSubscription"`
	Trials                  []json.RawMessage  `json:"trials,omitempty" xml:"-"`
	AdsConsent              *bool              `json:"adsConsent" xml:"adsConsent,attr,omitempty"`
	AdsConsentSetAt         *int64             `json:"adsConsentSetAt" xml:"adsConsentSetAt,attr,omitempty"`
	AdsConsentReminderAt    *int64             `json:"adsConsentReminderAt" xml:"adsConsentReminderAt,attr,omitempty"`
	ExperimentalFeatures    bool               `json:"experimentalFeatures" xml:"experimentalFeatures,attr"`
	TwoFactorEnabled        bool               `json:"twoFactorEnabled" xml:"twoFactorEnabled,attr"`
	BackupCodesCreated      bool               `json:"backupCodesCreated" xml:"backupCodesCreated,attr"`
	AttributionPartner      *string            `json:"attributionPartner" xml:"attributionPartner,attr,omitempty"`
}

// JoinedTime returns JoinedAt as a time (zero when unset).
func (u *UserPlexAccount) JoinedTime() time.Time { return unixTime(u.JoinedAt) }

// RememberExpiresTime returns RememberExpiresAt as a time (zero when unset).
func (u *UserPlexAccount) RememberExpiresTime() time.Time { return unixTime(u.RememberExpiresAt) }

// HasFeature reports whether the active subscription lists the feature.
func (u *UserPlexAccount) HasFeature(f Feature) bool {
	if u == nil || u.Subscription == nil {
		return false
	}
	for _, x := range u.Subscription.Features {
		if x == f {
			return true
		}
	}
	return false
}

// PlexPass reports whether the account has an active Plex Pass.
func (u *UserPlexAccount) PlexPass() bool {
	return u != nil && u.Subscription != nil && u.Subscription.Active
}

// String identifies the account without its token.
func (u UserPlexAccount) String() string {
	return "UserPlexAccount{ID:" + itoa(u.ID) + " Username:" + u.Username + " Email:" + u.Email + " AuthToken:REDACTED}"
}

// GoString identifies the account without its token.
func (u UserPlexAccount) GoString() string { return u.String() }

func unixTime(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// Subscription is a Plex Pass subscription.
type Subscription struct {
	Active         bool               `json:"active" xml:"active,attr"`
	SubscribedAt   *string            `json:"subscribedAt" xml:"subscribedAt,attr,omitempty"`
	Status         SubscriptionStatus `json:"status" xml:"status,attr"`
	PaymentService *string            `json:"paymentService" xml:"paymentService,attr,omitempty"`
	Plan           *string            `json:"plan" xml:"plan,attr,omitempty"`
	Features       []Feature          `json:"features" xml:"features>feature"`
}

// SubscribedTime parses SubscribedAt: ISO 8601 in JSON, or plex.tv's XML
// form "2006-01-02 15:04:05 UTC"; zero when absent or malformed.
func (s *Subscription) SubscribedTime() time.Time {
	if s == nil || s.SubscribedAt == nil {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05 MST"} {
		if t, err := time.Parse(layout, *s.SubscribedAt); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// UserProfile holds the account's playback preferences.
type UserProfile struct {
	AutoSelectAudio              bool                         `json:"autoSelectAudio" xml:"autoSelectAudio,attr"`
	DefaultAudioLanguage         *string                      `json:"defaultAudioLanguage" xml:"defaultAudioLanguage,attr,omitempty"`
	DefaultAudioAccessibility    DefaultAudioAccessibility    `json:"defaultAudioAccessibility" xml:"defaultAudioAccessibility,attr"`
	DefaultAudioLanguages        []string                     `json:"defaultAudioLanguages" xml:"-"`
	DefaultSubtitleLanguage      *string                      `json:"defaultSubtitleLanguage" xml:"defaultSubtitleLanguage,attr,omitempty"`
	DefaultSubtitleLanguages     []string                     `json:"defaultSubtitleLanguages" xml:"-"`
	AutoSelectSubtitle           AutoSelectSubtitle           `json:"autoSelectSubtitle" xml:"autoSelectSubtitle,attr"`
	DefaultSubtitleAccessibility DefaultSubtitleAccessibility `json:"defaultSubtitleAccessibility" xml:"defaultSubtitleAccessibility,attr"`
	DefaultSubtitleForced        DefaultSubtitleForced        `json:"defaultSubtitleForced" xml:"defaultSubtitleForced,attr"`
	WatchedIndicator             WatchedIndicator             `json:"watchedIndicator" xml:"watchedIndicator,attr"`
	MediaReviewsVisibility       MediaReviewsVisibility       `json:"mediaReviewsVisibility" xml:"mediaReviewsVisibility,attr"`
	MediaReviewsLanguages        []string                     `json:"mediaReviewsLanguages" xml:"-"`
}

// Service is a Plex cloud service the account can use. Its Token and
// Secret are credentials: do not log them.
type Service struct {
	Identifier string        `json:"identifier" xml:"identifier,attr"`
	Endpoint   string        `json:"endpoint" xml:"endpoint,attr"`
	Token      *string       `json:"token" xml:"token,attr,omitempty"`
	Secret     *string       `json:"secret" xml:"secret,attr,omitempty"`
	Status     ServiceStatus `json:"status" xml:"status,attr"`
}

// PastSubscription is an ended subscription (sign-in responses).
type PastSubscription struct {
	ID            *FlexString `json:"id" xml:"id,attr,omitempty"`
	Mode          *FlexString `json:"mode" xml:"mode,attr,omitempty"`
	RenewsAt      *int64      `json:"renewsAt" xml:"renewsAt,attr,omitempty"`
	EndsAt        *int64      `json:"endsAt" xml:"endsAt,attr,omitempty"`
	Canceled      bool        `json:"canceled" xml:"canceled,attr"`
	GracePeriod   bool        `json:"gracePeriod" xml:"gracePeriod,attr"`
	OnHold        bool        `json:"onHold" xml:"onHold,attr"`
	CanReactivate bool        `json:"canReactivate" xml:"canReactivate,attr"`
	CanUpgrade    bool        `json:"canUpgrade" xml:"canUpgrade,attr"`
	CanDowngrade  bool        `json:"canDowngrade" xml:"canDowngrade,attr"`
	CanConvert    bool        `json:"canConvert" xml:"canConvert,attr"`
	Type          string      `json:"type" xml:"type,attr"`
	Transfer      *string     `json:"transfer" xml:"transfer,attr,omitempty"`
	State         string      `json:"state" xml:"state,attr"`
	Billing       *Billing    `json:"billing" xml:"billing"`
}

// Billing is the payment part of a past subscription.
type Billing struct {
	PaymentMethodID *int64 `json:"paymentMethodId" xml:"paymentMethodId,attr,omitempty"`
}

package components

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
)

// MailingListStatus is the account's newsletter state. Open enum.
type MailingListStatus string

// Known mailing-list states.
const (
	MailingListStatusActive       MailingListStatus = "active"
	MailingListStatusUnsubscribed MailingListStatus = "unsubscribed"
	MailingListStatusRemoved      MailingListStatus = "removed"
)

// IsKnown reports whether the value is one of the constants above.
func (m MailingListStatus) IsKnown() bool {
	switch m {
	case MailingListStatusActive, MailingListStatusUnsubscribed, MailingListStatusRemoved:
		return true
	}
	return false
}

// SubscriptionStatus is a subscription's state. Open enum.
type SubscriptionStatus string

// Known subscription states.
const (
	SubscriptionStatusActive   SubscriptionStatus = "Active"
	SubscriptionStatusInactive SubscriptionStatus = "Inactive"
)

// IsKnown reports whether the value is one of the constants above.
func (s SubscriptionStatus) IsKnown() bool {
	return s == SubscriptionStatusActive || s == SubscriptionStatusInactive
}

// ServiceStatus is a cloud service's state. Open enum.
type ServiceStatus string

// Known service states.
const (
	ServiceStatusOnline  ServiceStatus = "online"
	ServiceStatusOffline ServiceStatus = "offline"
)

// IsKnown reports whether the value is one of the constants above.
func (s ServiceStatus) IsKnown() bool { return s == ServiceStatusOnline || s == ServiceStatusOffline }

// Feature is a subscription feature name, such as "sync" or "webhooks".
// plex.tv adds names all the time; every string is valid. In XML it is a
// <feature id="…"/> element.
type Feature string

// A few well-known feature names.
const (
	FeaturePass                    Feature = "pass"
	FeatureSync                    Feature = "sync"
	FeatureWebhooks                Feature = "webhooks"
	FeatureHardwareTranscoding     Feature = "hardware_transcoding"
	FeatureHome                    Feature = "home"
	FeatureTwoFactorAuthentication Feature = "two-factor-authentication"
)

// UnmarshalXML reads the id attribute of a <feature id="…"/> element.
func (f *Feature) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return idAttr(d, start, f)
}

// Role is an account role, such as "plexpass". In XML it is a
// <role id="…"/> element.
type Role string

// UnmarshalXML reads the id attribute of a <role id="…"/> element.
func (r *Role) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return idAttr(d, start, r)
}

// Entitlement is a platform the account may use, such as "ios". In XML it
// is an <entitlement id="…"/> element.
type Entitlement string

// UnmarshalXML reads the id attribute of an <entitlement id="…"/> element.
func (e *Entitlement) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return idAttr(d, start, e)
}

// idAttr stores the id attribute of the element start opens in *p and
// skips the element.
func idAttr[T ~string](d *xml.Decoder, start xml.StartElement, p *T) error {
	var v string
	for _, a := range start.Attr {
		if a.Name.Local == "id" {
			v = a.Value
		}
	}
	*p = T(v)
	return d.Skip()
}

// AutoSelectSubtitle is when subtitles are selected automatically: 0 manually selected, 1 shown with foreign audio,
// 2 always enabled. Open enum.
type AutoSelectSubtitle int

// Known AutoSelectSubtitle values.
const (
	AutoSelectSubtitleManual       AutoSelectSubtitle = 0
	AutoSelectSubtitleForeignAudio AutoSelectSubtitle = 1
	AutoSelectSubtitleAlways       AutoSelectSubtitle = 2
)

// IsKnown reports whether the value is one of the constants above.
func (v AutoSelectSubtitle) IsKnown() bool { return v >= 0 && v <= 2 }

// DefaultSubtitleAccessibility is the preference for SDH subtitles: 0 prefer non-SDH, 1 prefer SDH, 2 only SDH,
// 3 only non-SDH. Open enum.
type DefaultSubtitleAccessibility int

// IsKnown reports whether the value is 0..3.
func (v DefaultSubtitleAccessibility) IsKnown() bool { return v >= 0 && v <= 3 }

// DefaultAudioAccessibility is the preference for accessibility audio: 0 prefer non-accessibility audio, 1 prefer
// accessibility audio, 2 only accessibility, 3 only non-accessibility.
// Open enum.
type DefaultAudioAccessibility int

// IsKnown reports whether the value is 0..3.
func (v DefaultAudioAccessibility) IsKnown() bool { return v >= 0 && v <= 3 }

// DefaultSubtitleForced is the preference for forced subtitles: 0 prefer non-forced, 1 prefer forced, 2 only
// forced, 3 only non-forced. Open enum.
type DefaultSubtitleForced int

// IsKnown reports whether the value is 0..3.
func (v DefaultSubtitleForced) IsKnown() bool { return v >= 0 && v <= 3 }

// WatchedIndicator is where watched indicators show: 0 none, 1 movies and TV, 2 movies, 3 TV. Open enum.
type WatchedIndicator int

// IsKnown reports whether the value is 0..3.
func (v WatchedIndicator) IsKnown() bool { return v >= 0 && v <= 3 }

// MediaReviewsVisibility is whose reviews are shown: 0 no one, 1 critics, 2 Plex users, 3 both.
// Open enum.
type MediaReviewsVisibility int

// IsKnown reports whether the value is 0..3.
func (v MediaReviewsVisibility) IsKnown() bool { return v >= 0 && v <= 3 }

// FlexString decodes a JSON string or number (some plex.tv fields changed
// type between versions, such as a PIN's postal code).
type FlexString string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (s *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return errors.New("components: empty FlexString")
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = FlexString(v)
	case string(b) == "null":
	case string(b) == "true" || string(b) == "false":
		*s = FlexString(b)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("components: FlexString wants a string or number: %w", err)
		}
		*s = FlexString(n)
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

package plexgo_test

import (
	"testing"

	"github.com/plexkit/plexgo"
)

func TestIdentityAccessors(t *testing.T) {
	sdk := plexgo.New(plexgo.WithXPlexClientIdentifier("acc-client"), plexgo.WithPlexTVURL("http://127.0.0.1:9/"),
		plexgo.WithServerURL("http://127.0.0.1:32401"))
	if got := sdk.ClientIdentifier(); got != "acc-client" {
		t.Errorf("ClientIdentifier = %q", got)
	}
	if got := sdk.PlexTVURL(); got != "http://127.0.0.1:9" {
		t.Errorf("PlexTVURL = %q", got)
	}
	if got := sdk.ServerURL(); got != "http://127.0.0.1:32401" {
		t.Errorf("ServerURL = %q", got)
	}
	def := plexgo.New()
	if def.ClientIdentifier() != "" || def.PlexTVURL() != plexgo.DefaultPlexTVURL || def.ServerURL() != "http://127.0.0.1:32400" {
		t.Errorf("defaults: %q %q %q", def.ClientIdentifier(), def.PlexTVURL(), def.ServerURL())
	}
	if d := sdk.With(plexgo.WithXPlexClientIdentifier("derived")); d.ClientIdentifier() != "derived" || sdk.ClientIdentifier() != "acc-client" {
		t.Error("With changed the original or did not apply")
	}
	var nilSDK *plexgo.PlexAPI
	if nilSDK.ClientIdentifier() != "" || nilSDK.PlexTVURL() != "" || nilSDK.ServerURL() != "" {
		t.Error("nil client: non-empty")
	}
	if (&plexgo.PlexAPI{}).ServerURL() != "" {
		t.Error("zero client: non-empty ServerURL")
	}
}

package operations_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plexkit/plexgo/internal/testutil"
	"github.com/plexkit/plexgo/models/operations"
	"github.com/plexkit/plexgo/retry"
)

// printed formats v with every verb that could reveal a field.
func printed(vs ...any) string {
	var b strings.Builder
	for _, v := range vs {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			fmt.Fprintf(&b, verb+"\n", v)
		}
	}
	return b.String()
}

func TestSecretsDoNotPrint(t *testing.T) {
	t.Parallel()
	const secret = "ops-secret-42"
	tok := secret
	body := operations.PostUsersSignInDataRequestBody{Login: "me", Password: secret, VerificationCode: &tok}
	mc := operations.GetTransientTokenMediaContainer{Token: secret}
	dev := operations.Device{Name: "n", AccessToken: secret}
	res := operations.Resource{Name: "r", AccessToken: secret}
	pin := operations.Pin{ID: 1, Code: "ABCD", AuthToken: &tok}
	jwt := operations.ExchangeDeviceJWTResponse{AuthToken: secret}
	opts := operations.Options{Token: operations.Secret(secret)}
	out := printed(body, &body, mc, &mc, dev, &dev, res, &res, []operations.Resource{res}, pin, &pin, jwt, &jwt,
		opts, &opts, operations.Secret(secret))
	testutil.NoSecret(t, "printed values", out, secret)
	if !strings.Contains(fmt.Sprint(body), "me") || !strings.Contains(fmt.Sprint(pin), "approved") {
		t.Errorf("identifying fields missing: %v / %v", body, pin)
	}
	if operations.Secret("").String() != "" || operations.Secret(secret).Reveal() != secret {
		t.Error("Secret accessors")
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	var o operations.Options
	for _, opt := range []operations.Option{
		operations.WithServerURL("https://10.0.0.2:32400"),
		operations.WithRetries(retry.None()),
		operations.WithOperationTimeout(time.Second),
		operations.WithToken("t"),
	} {
		if err := opt(&o); err != nil {
			t.Fatal(err)
		}
	}
	if *o.ServerURL != "https://10.0.0.2:32400" || o.Retries.MaxAttempts != 1 || *o.Timeout != time.Second || o.Token.Reveal() != "t" {
		t.Errorf("options %+v", o)
	}
	for name, opt := range map[string]operations.Option{
		"WithServerURL":        operations.WithServerURL("10.0.0.2:32400"),
		"WithOperationTimeout": operations.WithOperationTimeout(0),
		"WithToken":            operations.WithToken(""),
	} {
		err := opt(&operations.Options{})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestPinAndResourceHelpers(t *testing.T) {
	t.Parallel()
	var nilPin *operations.Pin
	empty := ""
	if nilPin.Approved() || (&operations.Pin{}).Approved() || (&operations.Pin{AuthToken: &empty}).Approved() {
		t.Error("pending PIN approved")
	}
	for id, want := range map[int64]string{0: "ID:0 ", -12: "ID:-12 ", 308000001: "ID:308000001 "} {
		if got := (operations.Pin{ID: id}).String(); !strings.Contains(got, want) {
			t.Errorf("Pin(%d).String() = %q", id, got)
		}
	}
	r := operations.Resource{Provides: "client, player,pubsub-player"}
	if !r.HasProvides("player") || !r.HasProvides("client") || r.HasProvides("server") || r.HasProvides("pubsub") {
		t.Errorf("HasProvides on %q", r.Provides)
	}
	var nilTT *operations.GetTransientTokenResponse
	var nilSC *operations.GetSourceConnectionInformationResponse
	if nilTT.GetToken() != "" || nilSC.GetDevice() != nil || (&operations.GetTransientTokenResponse{}).GetToken() != "" {
		t.Error("nil responses")
	}
}

// The models decode plex.tv's and PMS's JSON and XML shapes.
func TestDecodeShapes(t *testing.T) {
	t.Parallel()
	var pin operations.Pin
	if err := json.Unmarshal([]byte(`{"id":5,"code":"abcd","location":{"postal_code":8001,"country":"ES"},"expiresIn":900,
		"createdAt":"2026-01-02T03:04:05Z","expiresAt":"2026-01-02T03:19:05Z","authToken":null,"newRegistration":null}`), &pin); err != nil {
		t.Fatal(err)
	}
	if pin.Location.PostalCode != "8001" || pin.AuthToken != nil || pin.ExpiresAt.Sub(pin.CreatedAt) != 15*time.Minute {
		t.Errorf("pin %+v", pin)
	}
	var xpin operations.Pin
	if err := xml.Unmarshal([]byte(`<pin id="6" code="WXYZ" authToken="tok" trusted="1" createdAt="2026-01-02T03:04:05Z"><location country="ES" postal_code="08001"/></pin>`), &xpin); err != nil {
		t.Fatal(err)
	}
	if !xpin.Approved() || !xpin.Trusted || xpin.Location.PostalCode != "08001" {
		t.Errorf("xml pin %+v", xpin)
	}

	var res []operations.Resource
	if err := json.Unmarshal([]byte(`[{"name":"s","provides":"server","ownerId":null,"connections":[{"protocol":"https","port":32400,"local":true,"IPv6":true}]}]`), &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || !res[0].Connections[0].IPv6 || res[0].OwnerID != nil {
		t.Errorf("resources %+v", res)
	}
	var xres struct {
		Resources []operations.Resource `xml:"resource"`
	}
	if err := xml.Unmarshal([]byte(`<resources size="1"><resource name="s" ownerId="9"><connections><connection uri="u1"/><connection uri="u2" relay="1"/></connections></resource></resources>`), &xres); err != nil {
		t.Fatal(err)
	}
	if len(xres.Resources) != 1 || *xres.Resources[0].OwnerID != 9 || len(xres.Resources[0].Connections) != 2 || !xres.Resources[0].Connections[1].Relay {
		t.Errorf("xml resources %+v", xres.Resources)
	}

	var home operations.Home
	if err := xml.Unmarshal([]byte(`<home id="1" name="h"><users><user id="2" uuid="u" protected="1" admin="0"/></users></home>`), &home); err != nil {
		t.Fatal(err)
	}
	if len(home.Users) != 1 || !home.Users[0].Protected {
		t.Errorf("home %+v", home)
	}

	var sc operations.GetSourceConnectionInformationMediaContainer
	if err := xml.Unmarshal([]byte(`<MediaContainer size="1"><Device name="d" accessToken="a"><Connection uri="x" local="1"/><Connection uri="y"/></Device></MediaContainer>`), &sc); err != nil {
		t.Fatal(err)
	}
	if sc.Device == nil || len(sc.Device.Connections) != 2 || !sc.Device.Connections[0].Local {
		t.Errorf("source connection %+v", sc.Device)
	}
}

func ExampleWithToken() {
	// Per-call options: another server, with that server's own token and
	// a shorter timeout. The token never prints.
	var o operations.Options
	for _, opt := range []operations.Option{
		operations.WithServerURL("https://192.168.1.20:32400"),
		operations.WithToken("server-access-token"),
		operations.WithOperationTimeout(5 * time.Second),
	} {
		if err := opt(&o); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println(*o.ServerURL, o.Token, *o.Timeout)
	// Output: https://192.168.1.20:32400 REDACTED 5s
}

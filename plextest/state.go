package plextest

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Account is a plex.tv account known to the fake.
type Account struct {
	ID   int64  `json:"id"`
	UUID string `json:"uuid"`
	// Username is the account's username. For a managed Home user it is
	// the fake's own handle (the user's title): plex.tv sends such a user
	// no username.
	Username string `json:"username"`
	Email    string `json:"email"`              // empty for managed Home users
	Login    string `json:"login"`              // what to send as "login": the e-mail, or the username if there is none
	Password string `json:"password,omitempty"` // empty for managed Home users (they cannot sign in with a password)
	// AuthToken is a valid legacy token for this account, issued for the
	// client identifier SeedClientID. If that device's token was revoked,
	// a new one is issued when the Account is read again.
	AuthToken        string `json:"authToken"`
	TwoFactor        bool   `json:"twoFactor"`
	VerificationCode string `json:"verificationCode,omitempty"` // the code the fake accepts when TwoFactor is set
	PlexPass         bool   `json:"plexPass"`
	Home             bool   `json:"home"`       // member of a Plex Home
	Restricted       bool   `json:"restricted"` // managed Home user
	Protected        bool   `json:"protected"`  // Home user with a PIN
	PIN              string `json:"pin,omitempty"`
	// Outsider is true only for the seeded account OutsiderLogin ("oscar"),
	// which no server is shared with.
	Outsider bool `json:"outsider"`
}

// AccountSpec describes an account to add with AddAccount.
type AccountSpec struct {
	Username  string
	Email     string
	Password  string
	TwoFactor bool // verification code is TwoFactorCode
	PlexPass  bool
	Features  []string // extra subscription feature names
}

type account struct {
	id          int64
	uuid        string
	username    string
	email       string
	password    string
	twoFactor   bool
	code        string
	plexPass    bool
	features    []string
	homeAdminID int64 // id of the Home admin (own id for the admin), 0 when not in a Home
	restricted  bool
	protected   bool
	pin         string
	joinedAt    int64
	playerID    string // client identifier of this account's player device
	outsider    bool   // the seeded account with access to no server
}

func (a *account) home() bool { return a.homeAdminID != 0 }

// managed reports whether a is a managed Home user: a restricted member of
// a Home with no plex.tv login of its own (the seeded "kid" and "teen").
// Real plex.tv gives such a user a title but no username (and no e-mail);
// the fake's username for it is only the fake's own handle (Server.Account,
// the control API) and the title it sends.
func (a *account) managed() bool { return a.restricted }

// title is a's display name on the wire: the username, which for a managed
// user is the name it was created with.
func (a *account) title() string { return a.username }

// wireUsername is a's username as plex.tv sends it: "" for a managed user.
func (a *account) wireUsername() string {
	if a.managed() {
		return ""
	}
	return a.username
}
func (a *account) isHomeAdmin() bool { return a.homeAdminID != 0 && a.homeAdminID == a.id }
func (a *account) login() string {
	if a.email != "" {
		return a.email
	}
	return a.username
}

type devKey struct {
	acct   int64
	client string
}

type tokenRec struct {
	acct   int64
	client string
}

type jwtRec struct {
	acct    int64
	client  string
	exp     time.Time
	revoked bool
	expired bool
}

// seeds holds the parsed embedded templates.
type seeds struct {
	user         obj
	past         any
	passFeatures []string
	freeFeatures []string
	serverDevice obj
	playerDevice obj
	pin          obj
}

// extraFeature is a subscription feature name no SDK knows, so clients must
// decode feature lists as open strings.
const extraFeature = "plextest-unreleased-feature"

func loadSeeds() (seeds, error) {
	var sd seeds
	read := func(name string) (any, error) {
		b, err := seedFS.ReadFile("seed/" + name)
		if err != nil {
			return nil, err
		}
		return parseOrdered(b)
	}
	files := []string{"user-200.json", "signin-201.json", "resources-200.json", "pin-create-201.json"}
	parsed := make([]any, len(files))
	for i, name := range files {
		v, err := read(name)
		if err != nil {
			return sd, fmt.Errorf("plextest: seed: %w", err)
		}
		parsed[i] = v
	}
	uo, ok1 := parsed[0].(obj)
	so, ok2 := parsed[1].(obj)
	rl, ok3 := parsed[2].([]any)
	po, ok4 := parsed[3].(obj)
	if !ok1 || !ok2 || !ok3 || !ok4 || len(rl) < 3 {
		return sd, errors.New("plextest: seed data has an unexpected shape")
	}
	sd.user = uo
	sd.past = so.get("pastSubscriptions")
	if sub, ok := uo.get("subscription").(obj); ok {
		sd.passFeatures = anyStrings(sub.get("features"))
	}
	if sub, ok := so.get("subscription").(obj); ok {
		sd.freeFeatures = anyStrings(sub.get("features"))
	}
	sd.serverDevice, _ = rl[0].(obj)
	sd.playerDevice, _ = rl[2].(obj)
	sd.pin = po
	if sd.serverDevice == nil || sd.playerDevice == nil {
		return sd, errors.New("plextest: seed resources have an unexpected shape")
	}
	return sd, nil
}

// seed creates alice, bob, alice's managed Home users and the outsider
// oscar.
func (s *Server) seed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	alice := s.newAccountLocked(AccountSpec{Username: DefaultUsername, Email: DefaultLogin, Password: DefaultPassword, PlexPass: true})
	alice.homeAdminID = alice.id
	s.newAccountLocked(AccountSpec{Username: "bob", Email: TwoFactorLogin, Password: TwoFactorPassword, TwoFactor: true})
	kid := s.newAccountLocked(AccountSpec{Username: "kid"})
	kid.restricted, kid.homeAdminID = true, alice.id
	teen := s.newAccountLocked(AccountSpec{Username: "teen"})
	teen.restricted, teen.homeAdminID, teen.protected, teen.pin = true, alice.id, true, HomeUserPIN
	oscar := s.newAccountLocked(AccountSpec{Username: OutsiderUsername, Email: OutsiderLogin, Password: OutsiderPassword})
	oscar.outsider = true
}

func (s *Server) newAccountLocked(spec AccountSpec) *account {
	id := s.nextAcctID
	s.nextAcctID++
	a := &account{
		id:        id,
		uuid:      randHex(16),
		username:  spec.Username,
		email:     spec.Email,
		password:  spec.Password,
		twoFactor: spec.TwoFactor,
		plexPass:  spec.PlexPass,
		features:  append([]string(nil), spec.Features...),
		joinedAt:  s.now().Add(-400 * 24 * time.Hour).Unix(),
		playerID:  randHex(32),
	}
	if a.username == "" {
		a.username = fmt.Sprintf("user%d", id)
	}
	if a.twoFactor {
		a.code = TwoFactorCode
	}
	s.accounts = append(s.accounts, a)
	s.byID[id] = a
	s.issueLegacyLocked(a, SeedClientID)
	return a
}

func (s *Server) findAccountLocked(loginOrUsername string) *account {
	l := lower(loginOrUsername)
	if l == "" {
		return nil
	}
	for _, a := range s.accounts {
		if lower(a.email) == l || lower(a.username) == l {
			return a
		}
	}
	return nil
}

func (s *Server) publicAccountLocked(a *account) Account {
	return Account{
		ID: a.id, UUID: a.uuid, Username: a.username, Email: a.email, Login: a.login(),
		Password: a.password, AuthToken: s.issueLegacyLocked(a, SeedClientID),
		TwoFactor: a.twoFactor, VerificationCode: a.code, PlexPass: a.plexPass,
		Home: a.home(), Restricted: a.restricted, Protected: a.protected, PIN: a.pin,
		Outsider: a.outsider,
	}
}

// Accounts returns every account, seeded and added, in creation order.
func (s *Server) Accounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return mapped(s.accounts, s.publicAccountLocked)
}

// Account looks an account up by e-mail or username (case-insensitive).
func (s *Server) Account(loginOrUsername string) (Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findAccountLocked(loginOrUsername)
	if a == nil {
		return Account{}, false
	}
	return s.publicAccountLocked(a), true
}

// AddAccount creates a plex.tv account. A TwoFactor account accepts
// TwoFactorCode as its verification code.
func (s *Server) AddAccount(spec AccountSpec) Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.publicAccountLocked(s.newAccountLocked(spec))
}

// IssueToken returns the legacy token of the (account, device) pair, the
// same one a sign-in from clientID would get.
func (s *Server) IssueToken(login, clientID string) (string, error) {
	if clientID == "" {
		return "", errors.New("plextest: empty client identifier")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findAccountLocked(login)
	if a == nil {
		return "", fmt.Errorf("plextest: no account %q", login)
	}
	return s.issueLegacyLocked(a, clientID), nil
}

// issueLegacyLocked returns the device's current legacy token, creating one
// if there is none (first sign-in, or after a revocation).
func (s *Server) issueLegacyLocked(a *account, clientID string) string {
	k := devKey{a.id, clientID}
	if s.devs[k] == nil {
		s.noteDeviceLocked(a, clientID, nil)
	}
	if t, ok := s.devTokens[k]; ok {
		return t
	}
	t := randToken()
	s.tokens[t] = &tokenRec{acct: a.id, client: clientID}
	s.devTokens[k] = t
	return t
}

func (s *Server) dropLegacyLocked(tok string) bool {
	rec, ok := s.tokens[tok]
	if !ok {
		return false
	}
	delete(s.tokens, tok)
	k := devKey{rec.acct, rec.client}
	if s.devTokens[k] == tok {
		delete(s.devTokens, k)
	}
	return true
}

func jwtID(tok string) string {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(tok, claims); err != nil {
		return ""
	}
	id, _ := claims["jti"].(string)
	return id
}

// RevokeToken invalidates a token, like removing the device from the
// account's authorized devices: plex.tv answers 401 for it afterwards and
// PMSs reject it. It accepts legacy tokens, Plex JWTs and PMS transient
// tokens; unknown tokens are ignored.
func (s *Server) RevokeToken(token string) {
	s.endToken(token, func(rec *jwtRec) { rec.revoked = true })
}

// ExpireToken expires a token. Legacy tokens and transient tokens have no
// expiry of their own, so for them it is the same as RevokeToken (401). A
// Plex JWT is marked expired: plex.tv answers 498 "Token Expired" for it.
func (s *Server) ExpireToken(token string) {
	s.endToken(token, func(rec *jwtRec) { rec.expired = true })
}

// endToken drops a legacy or transient token, or marks a Plex JWT's
// record with mark.
func (s *Server) endToken(token string, mark func(*jwtRec)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dropLegacyLocked(token) {
		return
	}
	if rec := s.jwts[jwtID(token)]; rec != nil {
		mark(rec)
		return
	}
	s.dropTransientLocked(token)
}

func (s *Server) dropTransientLocked(token string) {
	for _, srv := range s.servers {
		delete(srv.transient, token)
	}
}

// ---- user objects ----

func (s *Server) subscriptionObjLocked(a *account) obj {
	var feats []string
	if a.plexPass {
		feats = append(feats, s.seeds.passFeatures...)
	} else {
		feats = append(feats, s.seeds.freeFeatures...)
	}
	feats = append(feats, extraFeature)
	feats = append(feats, a.features...)
	if a.plexPass {
		return obj{
			{"active", true}, {"subscribedAt", "2021-04-12T18:21:12Z"}, {"status", "Active"},
			{"paymentService", "braintree"}, {"plan", "lifetime"}, {"features", strList(feats)},
		}
	}
	return obj{
		{"active", false}, {"subscribedAt", nil}, {"status", "Inactive"},
		{"paymentService", nil}, {"plan", nil}, {"features", strList(feats)},
	}
}

func (s *Server) homeSizeLocked(a *account) int {
	if !a.home() {
		return 1
	}
	n := 0
	for _, o := range s.accounts {
		if o.homeAdminID == a.homeAdminID {
			n++
		}
	}
	return n
}

// userObjLocked builds the plex.tv user object for a, carrying token as
// authToken. signin adds the members only sign-in returns.
func (s *Server) userObjLocked(a *account, token string, signin bool) obj {
	u := cloneObj(s.seeds.user)
	var email any
	if a.email != "" {
		email = a.email
	}
	if a.managed() {
		email = "" // a managed user's /api/v2/user has "username":"" and "email":""
	}
	u.set("id", a.id)
	u.set("uuid", a.uuid)
	u.set("username", a.wireUsername())
	u.set("title", a.title())
	u.set("email", email)
	u.set("friendlyName", a.title())
	u.set("locale", nil)
	u.set("confirmed", true)
	u.set("joinedAt", a.joinedAt)
	u.set("hasPassword", a.password != "")
	u.set("protected", a.protected)
	u.set("thumb", fmt.Sprintf("https://plex.tv/users/%s/avatar?c=%d", a.uuid, a.joinedAt))
	u.set("authToken", token)
	u.del("pin")
	sub := s.subscriptionObjLocked(a)
	u.set("subscription", sub)
	if a.plexPass {
		u.set("subscriptionDescription", "Plex Pass (lifetime)")
		u.set("entitlements", strList([]string{"android", "ios", "roku"}))
		u.set("roles", strList([]string{"plexpass"}))
		u.set("subscriptions", []any{cloneObj(sub)})
	} else {
		u.set("subscriptionDescription", nil)
		u.set("entitlements", []any{})
		u.set("roles", []any{})
		u.set("subscriptions", []any{})
	}
	u.set("restricted", a.restricted)
	u.set("anonymous", false)
	u.set("home", a.home())
	u.set("guest", false)
	u.set("homeSize", s.homeSizeLocked(a))
	u.set("homeAdmin", a.isHomeAdmin())
	u.set("maxHomeSize", 15)
	u.set("rememberExpiresAt", s.now().Add(14*24*time.Hour).Unix())
	u.set("twoFactorEnabled", a.twoFactor)
	u.set("backupCodesCreated", a.twoFactor)
	if signin {
		past := cloneAny(s.seeds.past)
		if past == nil {
			past = []any{}
		}
		u.set("pastSubscriptions", past)
		u.set("trials", []any{})
	}
	return u
}

func homeName(admin *account) string {
	return admin.username + "'s home"
}

package servers_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/plexkit/plexgo"
	"github.com/plexkit/plexgo/plextest"
	"github.com/plexkit/plexgo/servers"
)

// Discover the account's servers, connect to the best address of the
// first one, and use the client Connect returns.
func ExampleConnect() {
	fake, err := plextest.New() // a fake plex.tv and server on loopback
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	alice, _ := fake.Account(plextest.DefaultLogin)

	sdk := plexgo.New(
		plexgo.WithPlexTVURL(fake.PlexTVURL), // real programs leave the default
		plexgo.WithXPlexClientIdentifier("example-client-id"),
		plexgo.WithProduct("servers example"),
		plexgo.WithSecurity(alice.AuthToken),
	)
	ctx := context.Background()

	list, err := servers.Discover(ctx, sdk, servers.Filter{OwnedOnly: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range list {
		fmt.Printf("%s: %d connections\n", s.Name, len(s.Connections))
	}

	opts := servers.DefaultConnectOptions()
	opts.Grace = time.Second // generous for a busy test machine; keep the default in programs
	conn, err := servers.Connect(ctx, sdk, list[0], opts)
	if err != nil {
		log.Fatal(err) // lists every address and why it failed
	}
	fmt.Println("connected via the", conn.Connection.Kind(), "address")

	// conn.Client talks to the chosen address with the server's own token.
	info, err := conn.Client.Server.GetServerInfo(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("server says its name is", info.MediaContainer.FriendlyName)
	// Output:
	// plextest: 3 connections
	// connected via the local address
	// server says its name is plextest
}

// A share URL carries its token in the query, where Plex players look for
// it. It is a secret: prefer a transient token, and never log it.
func ExampleShareURL() {
	link, err := servers.ShareURL("http://192.168.1.10:32400", "/library/parts/42/file.mkv?download=1", "transient-token")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link)
	// Output:
	// http://192.168.1.10:32400/library/parts/42/file.mkv?X-Plex-Token=transient-token&download=1
}

func ExampleSourceForServer() {
	fmt.Println(servers.SourceForServer("96f2fe7a78c9dc1f16a16bedbe90f98149be16b4"))
	// Output:
	// server://96f2fe7a78c9dc1f16a16bedbe90f98149be16b4
}

package main

import (
	"crypto/sha256"
	"crypto/subtle"
)

// user is an account of this app. Tenant decides which rows of the BI
// host's data the user may see; it comes from the app's own records, never
// from the request.
type user struct {
	Username, Password  string
	FirstName, LastName string
	Tenant              string
}

// demoUsers are the app's accounts: two users in two tenants, so that
// logging in as each shows the same dashboard with different numbers. A real
// app keeps salted password hashes (bcrypt, argon2) in its database.
var demoUsers = map[string]user{
	"alice": {Username: "alice", Password: "alice", FirstName: "Alice", LastName: "Archer", Tenant: "acme"},
	"bob":   {Username: "bob", Password: "bob", FirstName: "Bob", LastName: "Baker", Tenant: "globex"},
}

// authenticate checks a username and password.
func authenticate(username, password string) (user, bool) {
	u, found := demoUsers[username]
	// Compare fixed-size digests in constant time, and do it for unknown
	// users too, so timings tell nothing about which usernames exist.
	want := sha256.Sum256([]byte(u.Password))
	got := sha256.Sum256([]byte(password))
	ok := subtle.ConstantTimeCompare(want[:], got[:]) == 1
	return u, found && ok
}

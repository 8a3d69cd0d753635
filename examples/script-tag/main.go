// Command script-tag serves a page that embeds a dashboard with the SDK
// loaded by a plain <script> tag from the BI host, and the one backend
// endpoint such a page needs: POST /api/guest-token, which mints guest
// tokens with the guesttoken package.
//
// Usage (next to `make dev`, whose defaults these are):
//
//	go run ./examples/script-tag [-addr 127.0.0.1:8090] [-bi http://127.0.0.1:8088]
//	    [-username admin] [-password admin] [-dashboard <embed uuid>] [-tenant acme]
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dashembed/dashembed/guesttoken"
)

//go:embed index.html
var indexHTML string

var page = template.Must(template.New("index").Parse(indexHTML))

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "address to serve the page on")
	biURL := flag.String("bi", "http://127.0.0.1:8088", "the BI host's URL, as the browser and this backend reach it")
	username := flag.String("username", "admin", "service account that mints guest tokens")
	password := flag.String("password", "admin", "its password (in production, read it from a secret store)")
	dashboard := flag.String("dashboard", "5b3e8c1a-7f2d-4e6b-9a0c-3d1f2e4b6a8c", "the dashboard's embed UUID (default: the dev server's demo dashboard)")
	tenant := flag.String("tenant", "acme", "tenant whose rows the guest may see; empty for all rows")
	flag.Parse()

	bi, err := guesttoken.NewSuperset(*biURL, guesttoken.Credentials{Username: *username, Password: *password})
	if err != nil {
		log.Fatal(err)
	}
	// The row-level-security rule is fixed by the backend; nothing the
	// browser sends reaches it.
	var rls []guesttoken.RLSRule
	if *tenant != "" {
		clause, err := guesttoken.ClauseEquals("tenant", *tenant)
		if err != nil {
			log.Fatal(err)
		}
		rls = []guesttoken.RLSRule{{Clause: clause}}
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := page.Execute(w, map[string]string{"BIURL": strings.TrimRight(*biURL, "/"), "DashboardID": *dashboard}); err != nil {
			log.Print(err)
		}
	})
	mux.HandleFunc("POST /api/guest-token", func(w http.ResponseWriter, r *http.Request) {
		// A real app would authenticate its user here and pick the RLS
		// from that user's account; see examples/go-backend.
		tok, err := bi.GuestToken(r.Context(), guesttoken.GuestTokenRequest{
			User:      guesttoken.User{Username: "script-tag-example", FirstName: "Example", LastName: "Viewer"},
			Resources: []guesttoken.Resource{{ID: *dashboard}},
			RLS:       rls,
		})
		if err != nil {
			log.Printf("minting a guest token: %v", err)
			writeJSON(w, http.StatusBadGateway, map[string]string{"message": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"token": tok})
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	fmt.Printf("script-tag example: open http://%s/ (dashboard %s from %s)\n", ln.Addr(), *dashboard, *biURL)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dashembed/dashembed/devserver"
)

// readyInfo is what a script needs once the servers listen: the URLs, the
// credentials, the signing settings and each dashboard's embed uuid. It is
// written by -ready-json and printed, in words, by the banner.
type readyInfo struct {
	BIURL          string           `json:"bi_url"`
	AppURL         string           `json:"app_url"`
	SDKURL         string           `json:"sdk_url"`
	EventsURL      string           `json:"events_url"`
	Config         string           `json:"config,omitempty"`
	AllowedOrigins []string         `json:"allowed_origins"`
	GuestToken     readyGuestToken  `json:"guest_token"`
	Accounts       []readyAccount   `json:"accounts"`
	PresetTokens   []readyPair      `json:"preset_tokens"`
	LuzmoKeys      []readyPair      `json:"luzmo_keys"`
	Dashboards     []readyDashboard `json:"dashboards"`
	PID            int              `json:"pid"`
}

// readyGuestToken is how guest tokens are signed and sent.
type readyGuestToken struct {
	Secret          string  `json:"secret"`
	Algorithm       string  `json:"algorithm"`
	Audience        string  `json:"audience"`
	Header          string  `json:"header"`
	LifetimeSeconds float64 `json:"lifetime_seconds"`
}

// readyAccount is a service account.
type readyAccount struct {
	Username        string `json:"username"`
	Password        string `json:"password"`
	APIKey          string `json:"api_key,omitempty"`
	GrantGuestToken bool   `json:"grant_guest_token"`
}

// readyPair is a vendor key pair: Preset's name and secret, Luzmo's key and
// token.
type readyPair struct {
	Name   string `json:"name"`
	Secret string `json:"secret"`
}

// readyDashboard is one dashboard and where to embed it.
type readyDashboard struct {
	ID             int      `json:"id"`
	Slug           string   `json:"slug,omitempty"`
	Title          string   `json:"title"`
	UUID           string   `json:"uuid,omitempty"`
	EmbedURL       string   `json:"embed_url,omitempty"`
	AllowedOrigins []string `json:"allowed_origins"`
}

// newReadyInfo gathers the running host's settings.
func newReadyInfo(cfg devserver.Config, biURL, appURL string, origins []string, file *devserver.ConfigFile) readyInfo {
	info := readyInfo{
		BIURL: biURL, AppURL: appURL,
		SDKURL:         biURL + "/static/assets/embedded.js",
		EventsURL:      "ws" + strings.TrimPrefix(biURL, "http") + "/__dashembed/events",
		AllowedOrigins: origins,
		GuestToken: readyGuestToken{Secret: cfg.Secret, Algorithm: cfg.Algorithm, Audience: cfg.Audience,
			Header: cfg.TokenHeader, LifetimeSeconds: cfg.TokenLifetime.Seconds()},
		Accounts: []readyAccount{}, PresetTokens: []readyPair{}, LuzmoKeys: []readyPair{}, Dashboards: []readyDashboard{},
		PID: os.Getpid(),
	}
	if file != nil {
		if abs, err := filepath.Abs(file.Path); err == nil {
			info.Config = abs
		}
	}
	for _, a := range cfg.Accounts {
		info.Accounts = append(info.Accounts, readyAccount{a.Username, a.Password, a.APIKey, a.CanGrantGuestToken})
	}
	for _, k := range cfg.PresetTokens {
		info.PresetTokens = append(info.PresetTokens, readyPair{k.Name, k.Secret})
	}
	for _, k := range cfg.LuzmoKeys {
		info.LuzmoKeys = append(info.LuzmoKeys, readyPair{k.Name, k.Secret})
	}
	for _, d := range cfg.Dashboards {
		rd := readyDashboard{ID: d.ID, Slug: d.Slug, Title: d.Title, UUID: d.UUID, AllowedOrigins: d.AllowedDomains}
		if rd.AllowedOrigins == nil {
			rd.AllowedOrigins = []string{"*"}
		}
		if d.UUID != "" {
			rd.EmbedURL = biURL + "/embedded/" + d.UUID
		}
		info.Dashboards = append(info.Dashboards, rd)
	}
	return info
}

// writeReady writes the info as one JSON line to stdout ("-"), or to a
// file, atomically, so a script polling for the file never reads half of it.
func writeReady(path string, stdout io.Writer, info readyInfo) error {
	b, err := json.Marshal(info)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if path == "-" {
		_, err := stdout.Write(b)
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("-ready-json: %v", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("-ready-json: %v", err)
	}
	return nil
}

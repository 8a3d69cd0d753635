package embedded

import (
	"net/http"
	"strconv"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
	"github.com/dashembed/dashembed/devserver/internal/auth"
)

// HandleConfigGet is GET /api/v1/dashboard/<id_or_slug>/embedded.
func (p *Pages) HandleConfigGet(w http.ResponseWriter, r *http.Request) {
	if _, err := p.cfg.Auth.Authenticate(r); err != nil {
		auth.WriteError(w, err)
		return
	}
	key := r.PathValue("key")
	cfg, found, embedded := p.cfg.Dashboards.Embedded(key)
	switch {
	case !found:
		apijson.WriteError(w, http.StatusNotFound, "Not found")
	case !embedded:
		// Superset answers a bare 404 with an empty object here.
		apijson.Write(w, http.StatusNotFound, map[string]any{})
	default:
		apijson.Write(w, http.StatusOK, map[string]any{"result": cfg})
	}
}

// HandleConfigPut is POST and PUT /api/v1/dashboard/<id_or_slug>/embedded:
// enable embedding or change the allowed domains. The UUID is kept across
// updates, as Superset's upsert does, so existing host apps keep working.
func (p *Pages) HandleConfigPut(w http.ResponseWriter, r *http.Request) {
	acct, ok := p.embeddingAdmin(w, r)
	if !ok {
		return
	}
	key := r.PathValue("key")
	if _, ok := p.cfg.Dashboards.Find(key); !ok {
		apijson.WriteError(w, http.StatusNotFound, "Not found")
		return
	}
	body, berr := apijson.ReadObject(r)
	if berr != nil {
		berr.Write(w)
		return
	}
	errs := apijson.SchemaErrors{}
	var domains []string
	switch v := body["allowed_domains"].(type) {
	case nil:
		errs.Add("allowed_domains", apijson.MsgRequired)
	case []any:
		de := apijson.SchemaErrors{}
		for i, item := range v {
			s, ok := item.(string)
			if !ok {
				de.Add(strconv.Itoa(i), apijson.MsgNotString)
				continue
			}
			if _, valid := parseAllowedEntry(s); !valid {
				p.cfg.Controls.Difference("allowed domain "+strconv.Quote(s)+" refused with 400",
					"Superset stores any string as an allowed domain, and then no referrer ever matches it")
				de.Add(strconv.Itoa(i), "Not a valid domain.")
				continue
			}
			domains = append(domains, s)
		}
		errs.Nest("allowed_domains", de)
	default:
		errs.Add("allowed_domains", apijson.MsgNotList)
	}
	if len(errs) > 0 {
		apijson.WriteError(w, http.StatusBadRequest, errs)
		return
	}
	cfg, _ := p.cfg.Dashboards.UpsertEmbedded(key, domains, acct.Username, p.cfg.Now())
	p.cfg.Controls.Publish("embedded_config", map[string]any{"dashboard": key, "uuid": cfg.UUID, "allowed_domains": cfg.AllowedDomains})
	apijson.Write(w, http.StatusOK, map[string]any{"result": cfg})
}

// HandleConfigDelete is DELETE /api/v1/dashboard/<id_or_slug>/embedded.
func (p *Pages) HandleConfigDelete(w http.ResponseWriter, r *http.Request) {
	if _, ok := p.embeddingAdmin(w, r); !ok {
		return
	}
	key := r.PathValue("key")
	if !p.cfg.Dashboards.DeleteEmbedded(key) {
		apijson.WriteError(w, http.StatusNotFound, "Not found")
		return
	}
	p.cfg.Controls.Publish("embedded_config", map[string]any{"dashboard": key, "deleted": true})
	apijson.Write(w, http.StatusOK, map[string]string{"message": "OK"})
}

// HandleEmbeddedDashboardGet is GET /api/v1/embedded_dashboard/<uuid>: an
// embedded configuration by its own UUID, for a logged-in account.
func (p *Pages) HandleEmbeddedDashboardGet(w http.ResponseWriter, r *http.Request) {
	if _, err := p.cfg.Auth.Authenticate(r); err != nil {
		auth.WriteError(w, err)
		return
	}
	d, ok := p.cfg.Dashboards.ByUUID(r.PathValue("uuid"))
	if !ok {
		apijson.WriteError(w, http.StatusNotFound, "Not found")
		return
	}
	cfg, _, _ := p.cfg.Dashboards.Embedded(strconv.Itoa(d.ID))
	apijson.Write(w, http.StatusOK, map[string]any{"result": cfg})
}

// embeddingAdmin authenticates an account that may change a dashboard's
// embedding (Superset's set_embedded permission, which the mock gives its
// admins), answering the refusal itself.
func (p *Pages) embeddingAdmin(w http.ResponseWriter, r *http.Request) (auth.Account, bool) {
	acct, err := p.cfg.Auth.Authenticate(r)
	if err != nil {
		auth.WriteError(w, err)
		return acct, false
	}
	if !acct.Admin {
		auth.WriteForbidden(w)
		return acct, false
	}
	return acct, true
}

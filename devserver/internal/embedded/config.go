package embedded

import (
	"net/http"
	"strconv"

	"github.com/dashembed/dashembed/devserver/internal/apijson"
)

// HandleConfigGet is GET /api/v1/dashboard/<id_or_slug>/embedded.
func (p *Pages) HandleConfigGet(w http.ResponseWriter, r *http.Request) {
	if _, err := p.cfg.Auth.Authenticate(r); err != nil {
		apijson.WriteUnauthorized(w, err.Error())
		return
	}
	key := r.PathValue("key")
	cfg, found, embedded := p.cfg.Dashboards.Embedded(key)
	switch {
	case !found:
		apijson.WriteError(w, http.StatusNotFound, "Dashboard "+strconv.Quote(key)+" not found")
	case !embedded:
		apijson.WriteError(w, http.StatusNotFound, "Dashboard "+strconv.Quote(key)+" has no embedded configuration; POST one to enable embedding")
	default:
		apijson.Write(w, http.StatusOK, map[string]any{"result": cfg})
	}
}

// HandleConfigPut is POST and PUT /api/v1/dashboard/<id_or_slug>/embedded:
// enable embedding or change the allowed domains. The UUID is kept across
// updates, as Superset's upsert does, so existing host apps keep working.
func (p *Pages) HandleConfigPut(w http.ResponseWriter, r *http.Request) {
	acct, err := p.cfg.Auth.Authenticate(r)
	if err != nil {
		apijson.WriteUnauthorized(w, err.Error())
		return
	}
	key := r.PathValue("key")
	if _, ok := p.cfg.Dashboards.Find(key); !ok {
		apijson.WriteError(w, http.StatusNotFound, "Dashboard "+strconv.Quote(key)+" not found")
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
	if _, err := p.cfg.Auth.Authenticate(r); err != nil {
		apijson.WriteUnauthorized(w, err.Error())
		return
	}
	key := r.PathValue("key")
	if !p.cfg.Dashboards.DeleteEmbedded(key) {
		apijson.WriteError(w, http.StatusNotFound, "Dashboard "+strconv.Quote(key)+" not found")
		return
	}
	p.cfg.Controls.Publish("embedded_config", map[string]any{"dashboard": key, "deleted": true})
	apijson.Write(w, http.StatusOK, map[string]string{"message": "OK"})
}

package devserver

import (
	"net/http"
	"strconv"
)

// handleEmbeddedConfigGet is GET /api/v1/dashboard/<id_or_slug>/embedded.
func (h *BIHost) handleEmbeddedConfigGet(w http.ResponseWriter, r *http.Request) {
	if _, err := h.authenticate(r, "access"); err != nil {
		writeUnauthorized(w, err.Error())
		return
	}
	key := r.PathValue("key")
	cfg, found, embedded := h.dash.embedded(key)
	switch {
	case !found:
		writeError(w, http.StatusNotFound, "Dashboard "+strconv.Quote(key)+" not found")
	case !embedded:
		writeError(w, http.StatusNotFound, "Dashboard "+strconv.Quote(key)+" has no embedded configuration; POST one to enable embedding")
	default:
		writeJSON(w, http.StatusOK, map[string]any{"result": cfg})
	}
}

// handleEmbeddedConfigPut is POST and PUT /api/v1/dashboard/<id_or_slug>/embedded:
// enable embedding or change the allowed domains. The UUID is kept across
// updates, as Superset's upsert does, so existing host apps keep working.
func (h *BIHost) handleEmbeddedConfigPut(w http.ResponseWriter, r *http.Request) {
	acct, err := h.authenticate(r, "access")
	if err != nil {
		writeUnauthorized(w, err.Error())
		return
	}
	key := r.PathValue("key")
	if _, ok := h.dash.find(key); !ok {
		writeError(w, http.StatusNotFound, "Dashboard "+strconv.Quote(key)+" not found")
		return
	}
	body, berr := readJSONObject(r)
	if berr != nil {
		berr.write(w)
		return
	}
	errs := schemaErrors{}
	var domains []string
	switch v := body["allowed_domains"].(type) {
	case nil:
		errs.add("allowed_domains", msgRequired)
	case []any:
		de := schemaErrors{}
		for i, item := range v {
			s, ok := item.(string)
			if !ok {
				de.add(strconv.Itoa(i), msgNotString)
				continue
			}
			if _, valid := parseAllowedEntry(s); !valid {
				de.add(strconv.Itoa(i), "Not a valid domain.")
				continue
			}
			domains = append(domains, s)
		}
		errs.nest("allowed_domains", de)
	default:
		errs.add("allowed_domains", msgNotList)
	}
	if len(errs) > 0 {
		writeError(w, http.StatusBadRequest, errs)
		return
	}
	cfg, _ := h.dash.upsertEmbedded(key, domains, acct.Username, h.cfg.Now())
	h.events.publish("embedded_config", map[string]any{"dashboard": key, "uuid": cfg.UUID, "allowed_domains": cfg.AllowedDomains})
	writeJSON(w, http.StatusOK, map[string]any{"result": cfg})
}

// handleEmbeddedConfigDelete is DELETE /api/v1/dashboard/<id_or_slug>/embedded.
func (h *BIHost) handleEmbeddedConfigDelete(w http.ResponseWriter, r *http.Request) {
	if _, err := h.authenticate(r, "access"); err != nil {
		writeUnauthorized(w, err.Error())
		return
	}
	key := r.PathValue("key")
	if !h.dash.deleteEmbedded(key) {
		writeError(w, http.StatusNotFound, "Dashboard "+strconv.Quote(key)+" not found")
		return
	}
	h.events.publish("embedded_config", map[string]any{"dashboard": key, "deleted": true})
	writeJSON(w, http.StatusOK, map[string]string{"message": "OK"})
}

// The demo host app's frontend: embed the dashboard with the SDK for the
// chosen tenant, offer buttons for the embedded object's methods, show the BI
// host's event feed and reload when the SDK bundle is rebuilt.
(function () {
  'use strict';

  var cfg = JSON.parse(document.getElementById('hostapp-config').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var statusEl = $('embed-status');
  var params = new URLSearchParams(location.search);
  var embedded = null;
  // generation counts embeds: an embedDashboard that resolves after the
  // visitor already switched tenant again belongs to an old generation and
  // is unmounted at once, so only the latest tenant's dashboard shows.
  var generation = 0;

  var tenants = (cfg.tenants || []).concat([cfg.allTenants]);
  var tenant = tenants.indexOf(params.get('tenant')) >= 0 ? params.get('tenant') : tenants[0];

  // Tests and curious developers can reach the embed from the console.
  window.dashembedDemo = { embedded: null, error: null, events: [], tenant: tenant, setTenant: setTenant };

  function setStatus(state, text) {
    statusEl.dataset.state = state;
    statusEl.textContent = text;
    document.body.dataset.state = state;
  }

  function show(result) {
    $('call-result').textContent = typeof result === 'string' ? result : JSON.stringify(result, null, 2);
  }

  // ---- embedding -------------------------------------------------------

  // tenantLabel is how the header names a tenant choice.
  function tenantLabel(t) {
    return t === cfg.allTenants ? 'All tenants' : t.charAt(0).toUpperCase() + t.slice(1);
  }

  function showTenant() {
    $('tenant').value = tenant;
    $('portal-name').textContent = tenantLabel(tenant);
    document.body.dataset.tenant = tenant;
    window.dashembedDemo.tenant = tenant;
  }

  // setTenant switches tenant: the old embed goes (its token shows the old
  // tenant's rows) and a new one asks the backend for a token with the new
  // tenant's row-level security.
  function setTenant(t) {
    if (tenants.indexOf(t) < 0) throw new Error('unknown tenant ' + t);
    tenant = t;
    params.set('tenant', t);
    // Keep the choice across a reload (the live reload after a rebuild too).
    history.replaceState(null, '', '?' + params.toString());
    showTenant();
    if (embedded) {
      embedded.unmount();
      embedded = null;
      window.dashembedDemo.embedded = null;
    }
    embed();
  }

  $('tenant').addEventListener('change', function (ev) { setTenant(ev.target.value); });

  function embed() {
    var sdk = window.dashembed;
    if (!sdk || typeof sdk.embedDashboard !== 'function') {
      setStatus('error', 'The SDK did not load from ' + cfg.sdkURL + ' (is it built? run `make dist`).');
      return;
    }
    var gen = ++generation;
    // Each embed keeps the tenant it was made for: its token refreshes must
    // not switch tenant under it.
    var forTenant = tenant;
    setStatus('embedding', 'Embedding dashboard ' + cfg.dashboardId + ' from ' + cfg.biURL + ' for ' + tenantLabel(forTenant).toLowerCase() + '…');
    var options = {
      id: cfg.dashboardId,
      supersetDomain: cfg.biURL,
      mountPoint: $('dashboard'),
      fetchGuestToken: function () {
        return fetch('/api/guest-token', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ tenant: forTenant })
        }).then(function (r) {
          return r.json().then(function (j) {
            if (!r.ok) throw new Error((j && j.message) || ('HTTP ' + r.status));
            return j.token;
          });
        });
      },
      dashboardUiConfig: { hideTitle: true, filters: { expanded: false } }
    };
    // ?faults=… on this page is handed to the embedded page, where the
    // per-page faults (no_handshake, slow, drop_framing) take effect.
    if (params.get('faults')) {
      options.dashboardUiConfig.urlParams = { faults: params.get('faults') };
    }
    sdk.embedDashboard(options).then(function (e) {
      if (gen !== generation) {
        e.unmount();
        return;
      }
      embedded = e;
      window.dashembedDemo.embedded = e;
      setStatus('embedded', 'Embedded dashboard ' + cfg.dashboardId + ' for ' + tenantLabel(forTenant).toLowerCase() + '.');
      if (typeof e.on === 'function') {
        ['ready', 'tokenRefreshed', 'tokenError', 'navigated', 'error'].forEach(function (name) {
          e.on(name, function (detail) {
            addEvent({ kind: 'sdk:' + name, time: new Date().toISOString(), detail: detail });
            if (name === 'error') setStatus('error', 'SDK error: ' + JSON.stringify(detail));
          });
        });
      }
    }, function (err) {
      if (gen !== generation) return;
      window.dashembedDemo.error = String(err && err.message || err);
      setStatus('error', 'embedDashboard failed: ' + (err && err.message || err));
    });
  }

  // ---- method buttons --------------------------------------------------

  document.getElementById('controls').addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-call]');
    if (!b) return;
    if (!embedded) { show('not embedded yet'); return; }
    var parts = b.dataset.call.split(':');
    var call;
    switch (parts[0]) {
      case 'getDashboardPermalink': call = embedded.getDashboardPermalink('chart-2'); break;
      case 'getChartDataPayloads': call = embedded.getChartDataPayloads({}); break;
      case 'setThemeMode': call = embedded.setThemeMode(parts[1]); break;
      case 'unmount': embedded.unmount(); embedded = null; setStatus('unmounted', 'Unmounted.'); show('unmounted'); return;
      default: call = embedded[parts[0]]();
    }
    Promise.resolve(call).then(show, function (err) { show('error: ' + (err && err.message || err)); });
  });

  // ---- faults ----------------------------------------------------------

  function setFaults(spec) {
    fetch('/api/faults', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ spec: spec })
    }).then(function (r) { return r.json(); }).then(function (j) {
      show(j.message ? 'faults: ' + JSON.stringify(j.message) : 'faults now: ' + (j.spec || '(none)'));
    });
  }
  $('fault-form').addEventListener('submit', function (ev) { ev.preventDefault(); setFaults($('fault-spec').value); });
  $('fault-clear').addEventListener('click', function () { $('fault-spec').value = ''; setFaults(''); });

  // ---- event feed and live reload --------------------------------------

  function addEvent(ev) {
    window.dashembedDemo.events.push(ev);
    var li = document.createElement('li');
    var kind = document.createElement('span');
    kind.className = 'kind kind-' + ev.kind;
    kind.textContent = ev.kind;
    li.appendChild(kind);
    li.appendChild(document.createTextNode(' ' + (ev.time || '').slice(11, 19) + ' ' + summarize(ev)));
    var feed = $('event-feed');
    feed.insertBefore(li, feed.firstChild);
    while (feed.children.length > 200) feed.removeChild(feed.lastChild);
  }

  // summarize picks the details worth a glance.
  function summarize(ev) {
    var d = ev.detail || {};
    switch (ev.kind) {
      case 'token_minted':
        return 'for ' + ((d.user && d.user.username) || d.username || '?') + ', lives ' + Math.round(d.lifetime_s || 0) + ' s' +
          (d.rls_rules && d.rls_rules.length ? ', RLS ' + d.rls_rules.map(function (r) { return '(' + r.clause + ')'; }).join(' AND ') : '');
      case 'api_call':
        return d.method + ' ' + d.path + ' → ' + d.status + (d.where ? ' WHERE ' + d.where : '') + (d.error ? ' (' + d.error + ')' : '');
      default:
        return JSON.stringify(d);
    }
  }

  var live = false;
  function connect() {
    var ws;
    try { ws = new WebSocket(cfg.eventsURL); } catch (e) { $('feed-status').textContent = 'unavailable'; return; }
    ws.onopen = function () { $('feed-status').textContent = 'live'; };
    ws.onmessage = function (m) {
      var ev = JSON.parse(m.data);
      if (ev.kind === 'live') { live = true; return; }
      addEvent(ev);
      // Only a rebuild after this page loaded triggers a reload; the
      // backlog may hold older ones.
      if (ev.kind === 'reload' && live) location.reload();
    };
    ws.onclose = function () {
      $('feed-status').textContent = 'disconnected, retrying…';
      live = false;
      setTimeout(connect, 2000);
    };
  }

  showTenant();
  connect();
  embed();
})();

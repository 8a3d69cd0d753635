// The mock embedded dashboard page. It behaves like Superset's embedded
// entry point: it refuses to run outside a frame, waits for the host's port
// transfer, speaks the switchboard protocol on that port, and renders the
// dashboard once the first guest token proves valid.
//
// State that tests read is mirrored on <body> data attributes:
//   data-state          starting | not-framed | awaiting-token | loading | ready | auth-error
//   data-handshake      waiting | done | ignored
//   data-token-count    number of guest tokens received
//   data-last-token     the last guest token
//   data-theme-mode, data-ui-config, data-active-tab, data-hide-*
(function () {
  'use strict';

  var MESSAGE_TYPE = '__embedded_comms__';
  var cfg = JSON.parse(document.getElementById('dashembed-config').textContent);
  var body = document.body;
  var $ = function (id) { return document.getElementById(id); };

  // ---- page state -------------------------------------------------------

  var guestToken = null;
  var tokenCount = 0;
  var started = false;      // the first token passed /me/roles and rendering began
  var starting = false;     // a start attempt is in flight
  var switchboard = null;
  var dashboard = null;     // GET /api/v1/dashboard/<id> result
  var activeTab = null;
  var dataMask = {};        // Superset's shape: filter id -> {id, extraFormData, filterState, ownState}
  var chartStates = {};     // chart id -> {sortAsc}
  var chartPayloads = {};   // chart id -> [query result]
  var apiNoticeShown = false;

  function setState(s) { body.dataset.state = s; }

  // The query parameters Superset's embedded page honours.
  var params = cfg.params || {};
  var uiConfig = parseInt(params.uiConfig || '0', 10) || 0;
  var standalone = parseInt(params.standalone || '0', 10) || 0;
  var ui = {
    hideTitle: (uiConfig & 1) !== 0 || standalone >= 2,
    hideTab: (uiConfig & 2) !== 0 || standalone >= 3,
    hideNav: (uiConfig & 4) !== 0 || standalone >= 1,
    hideChartControls: (uiConfig & 8) !== 0,
    emitDataMasks: (uiConfig & 16) !== 0,
    showRowLimitWarning: (uiConfig & 32) !== 0,
    showFilters: params.show_filters !== '0' && params.show_filters !== 'false' && standalone < 3,
    expandFilters: params.expand_filters !== '0' && params.expand_filters !== 'false'
  };
  body.dataset.uiConfig = String(uiConfig);
  body.dataset.hideTitle = String(ui.hideTitle);
  body.dataset.hideTab = String(ui.hideTab);
  body.dataset.hideNav = String(ui.hideNav);
  body.dataset.hideChartControls = String(ui.hideChartControls);
  body.dataset.showFilters = String(ui.showFilters);
  body.dataset.expandFilters = String(ui.expandFilters);
  applyThemeMode(params.themeMode || 'default');

  // ---- reporting to the dev server's event feed ------------------------

  // Tells the BI host what happened in the browser (handshakes, tokens), so
  // the host app's side panel can show it. Failures are irrelevant here.
  function report(event, detail) {
    try {
      fetch('/__dashembed/report', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ event: event, dashboard: cfg.dashboard.uuid || String(cfg.dashboard.id), detail: detail || {} }),
        keepalive: true
      }).catch(function () {});
    } catch (e) { /* reporting must never break the page */ }
  }

  // ---- switchboard -----------------------------------------------------

  // Switchboard is the page's end of @superset-ui/switchboard's protocol:
  // get/reply/error for calls, emit for one-way messages.
  function Switchboard(port, name) {
    this.port = port;
    this.name = name;
    this.methods = {};
    this.pending = {};
    this.counter = 0;
    var self = this;
    port.addEventListener('message', function (e) { self.receive(e.data); });
    port.start();
  }

  Switchboard.prototype.defineMethod = function (method, fn) { this.methods[method] = fn; };

  Switchboard.prototype.receive = function (msg) {
    if (!msg || typeof msg !== 'object') return;
    var self = this;
    switch (msg.switchboardAction) {
      case 'emit': {
        var fn = this.methods[msg.method];
        if (fn) {
          try { fn(msg.args); } catch (err) { console.error('[' + this.name + '] emit ' + msg.method + ' failed', err); }
        }
        return;
      }
      case 'get': {
        var getter = this.methods[msg.method];
        if (!getter) {
          this.port.postMessage({
            switchboardAction: 'error', messageId: msg.messageId,
            error: '[' + this.name + '] Method "' + msg.method + '" is not defined'
          });
          return;
        }
        Promise.resolve().then(function () { return getter(msg.args); }).then(function (result) {
          self.port.postMessage({ switchboardAction: 'reply', messageId: msg.messageId, result: result });
        }, function (err) {
          console.error('[' + self.name + '] ' + msg.method + ' threw', err);
          self.port.postMessage({
            switchboardAction: 'error', messageId: msg.messageId,
            error: '[' + self.name + '] Method "' + msg.method + '" threw an error'
          });
        });
        return;
      }
      case 'reply':
      case 'error': {
        var p = this.pending[msg.messageId];
        if (!p) return;
        delete this.pending[msg.messageId];
        if (msg.switchboardAction === 'reply') p.resolve(msg.result); else p.reject(new Error(msg.error));
        return;
      }
    }
  };

  // get calls a method the host defined (resolvePermalinkUrl).
  Switchboard.prototype.get = function (method, args) {
    var self = this;
    var id = 'm_' + this.name + '_' + (this.counter++);
    return new Promise(function (resolve, reject) {
      self.pending[id] = { resolve: resolve, reject: reject };
      self.port.postMessage({ switchboardAction: 'get', method: method, messageId: id, args: args });
    });
  };

  Switchboard.prototype.emit = function (method, args) {
    this.port.postMessage({ switchboardAction: 'emit', method: method, args: args });
  };

  // ---- handshake -------------------------------------------------------

  // Lenient origin check, mirroring the server's: entries with a scheme are
  // full origins, entries without one match on host (and port if given).
  function originAllowed(origin) {
    var list = cfg.allowedDomains || [];
    if (list.length === 0) return true;
    var o;
    try { o = new URL(origin); } catch (e) { return false; }
    return list.some(function (entry) {
      if (entry.indexOf('://') >= 0) {
        try { return new URL(entry).origin === o.origin; } catch (e) { return false; }
      }
      var hp = entry.split('/')[0].toLowerCase();
      return hp === o.host || hp === o.hostname;
    });
  }

  function onMessage(event) {
    var d = event.data;
    if (!d || d.type !== MESSAGE_TYPE) return; // not ours: other scripts post messages too
    if (!originAllowed(event.origin)) {
      console.warn('dashembed: ignoring a port transfer from ' + event.origin + ', which is not an allowed domain');
      report('handshake_refused', { origin: event.origin });
      return;
    }
    if (d.handshake !== 'port transfer' || !event.ports || !event.ports[0]) return;
    if (cfg.noHandshake) {
      // Injected fault: behave like a page that never answers.
      body.dataset.handshake = 'ignored';
      $('handshake-status').textContent = 'handshake ignored (fault no_handshake)';
      report('handshake_ignored', { origin: event.origin });
      return;
    }
    // Like Superset, accept one port per document: a navigated document
    // gets its own handshake.
    window.removeEventListener('message', onMessage);
    startSwitchboard(event.ports[0], event.origin);
  }

  function startSwitchboard(port, hostOrigin) {
    switchboard = new Switchboard(port, cfg.switchboardName || 'superset');
    switchboard.defineMethod('guestToken', function (args) { receiveToken(args && args.guestToken, 'switchboard'); });
    switchboard.defineMethod('getScrollSize', function () {
      return { width: document.body.scrollWidth, height: document.body.scrollHeight };
    });
    switchboard.defineMethod('getDashboardPermalink', getDashboardPermalink);
    switchboard.defineMethod('getActiveTabs', function () { return activeTab ? [activeTab] : []; });
    switchboard.defineMethod('getDataMask', function () { return clone(dataMask); });
    switchboard.defineMethod('getChartStates', function () { return clone(chartStatesView()); });
    switchboard.defineMethod('getChartDataPayloads', function (args) {
      var id = args && args.chartId;
      if (id !== undefined && id !== null) {
        var out = {};
        out[String(id)] = chartPayloads[String(id)] || [];
        return clone(out);
      }
      return clone(chartPayloads);
    });
    switchboard.defineMethod('setThemeConfig', function (args) { applyThemeConfig(args && args.themeConfig); return true; });
    switchboard.defineMethod('setThemeMode', function (args) { applyThemeMode(args && args.mode); return true; });
    switchboard.defineMethod('setDataMask', function (args) {
      return setDataMask(args && args.dataMask, true).then(function () { return true; });
    });
    body.dataset.handshake = 'done';
    body.dataset.hostOrigin = hostOrigin;
    $('handshake-status').textContent = 'switchboard connected to ' + hostOrigin;
    if (!guestToken) setState('awaiting-token');
    report('handshake', { origin: hostOrigin });
  }

  // ---- guest tokens ----------------------------------------------------

  function decodeJWT(t) {
    try {
      var part = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      while (part.length % 4) part += '=';
      return JSON.parse(decodeURIComponent(Array.prototype.map.call(atob(part), function (c) {
        return '%' + ('00' + c.charCodeAt(0).toString(16)).slice(-2);
      }).join('')));
    } catch (e) { return null; }
  }

  function receiveToken(token, via) {
    if (typeof token !== 'string' || token === '') return;
    guestToken = token;
    tokenCount++;
    body.dataset.tokenCount = String(tokenCount);
    body.dataset.lastToken = token;
    var claims = decodeJWT(token) || {};
    var user = (claims.user && claims.user.username) || '(no username)';
    var exp = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null;
    var status = $('token-status');
    status.dataset.holdsToken = 'true';
    status.dataset.user = user;
    status.dataset.exp = exp ? String(claims.exp) : '';
    status.textContent = 'holds a guest token · user ' + user +
      (exp ? ' · exp ' + exp.toISOString() : '') + ' · tokens received: ' + tokenCount;
    report('token_received', { count: tokenCount, via: via, user: user, exp: claims.exp });
    // Later tokens only swap the header, unless the first one failed.
    if (!started) start();
  }

  // ---- API -------------------------------------------------------------

  function ApiError(status, message) {
    this.status = status;
    this.message = message;
  }
  ApiError.prototype = Object.create(Error.prototype);

  function api(method, path, payload) {
    var headers = {};
    if (guestToken) headers[cfg.tokenHeader] = guestToken;
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(path, {
      method: method, headers: headers, credentials: 'same-origin',
      body: payload === undefined ? undefined : JSON.stringify(payload)
    }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (j) {
        if (r.status === 401 && started) showApiNotice(j);
        if (!r.ok) {
          // Superset answers {"message": ...}, or {"errors": [{message}]}
          // for a refused data request.
          var msg = j && (j.errors && j.errors[0] ? j.errors[0].message
            : typeof j.message === 'string' ? j.message : JSON.stringify(j.message));
          throw new ApiError(r.status, msg || ('HTTP ' + r.status));
        }
        return j;
      });
    });
  }

  // One persistent notice for 401s after start, as Superset shows.
  function showApiNotice(j) {
    if (apiNoticeShown) return;
    apiNoticeShown = true;
    var n = $('api-notice');
    n.textContent = 'The dashboard API refused the guest token (401)' +
      (j && j.detail ? ': ' + j.detail : '') + '. Data may be stale until the host sends a new token.';
    n.hidden = false;
  }

  // ---- lifecycle -------------------------------------------------------

  function start() {
    if (starting) return;
    starting = true;
    setState('loading');
    api('GET', '/api/v1/me/roles/').then(function (roles) {
      started = true;
      $('auth-error').hidden = true;
      body.dataset.guestUser = (roles && roles.result && roles.result.username) || '';
      return renderDashboard();
    }).then(function () {
      setState('ready');
      report('rendered', { charts: Object.keys(chartPayloads).length });
    }, function (err) {
      if (started) {
        // Authentication worked; rendering failed. Show it, stay usable.
        showPageError(err);
        setState('ready');
        return;
      }
      $('auth-error').hidden = false;
      $('auth-error').dataset.detail = (err && err.message) || '';
      setState('auth-error');
      report('auth_error', { status: err && err.status, message: err && err.message });
    }).then(function () { starting = false; });
  }

  function showPageError(err) {
    var n = $('api-notice');
    n.textContent = 'Could not load the dashboard: ' + ((err && err.message) || err);
    n.hidden = false;
  }

  // ---- rendering -------------------------------------------------------

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderDashboard() {
    // Superset's dashboard API takes the dashboard's id, not the embedded UUID.
    var key = String(cfg.dashboard.id);
    var saved = null; // a permalink's state, restored when permalink_key is given
    var permalink = params.permalink_key
      ? api('GET', '/api/v1/dashboard/permalink/' + encodeURIComponent(params.permalink_key)).catch(function () { return null; })
      : Promise.resolve(null);
    var base = '/api/v1/dashboard/' + encodeURIComponent(key);
    return Promise.all([api('GET', base), api('GET', base + '/charts'), api('GET', base + '/datasets'), permalink]).then(function (res) {
      dashboard = fromSuperset(res[0].result, res[1].result, res[2].result);
      $('dashboard-title').textContent = dashboard.dashboard_title;
      saved = res[3] && res[3].state;
      activeTab = (saved && saved.activeTabs && saved.activeTabs[0]) || dashboard.tabs[0].id;
      if (saved && saved.dataMask) dataMask = saved.dataMask;
      renderTabs();
      return renderFilters();
    }).then(function () {
      renderChartFrames();
      renderRLS();
      return refreshCharts();
    }).then(function () {
      if (saved && saved.anchor) {
        var a = document.getElementById(saved.anchor);
        if (a) a.scrollIntoView();
      }
    });
  }

  // fromSuperset reads the dashboard as Superset's API gives it (native
  // filters in json_metadata, tabs in position_json, charts and datasets
  // from their own endpoints) into the shape this page renders.
  function fromSuperset(d, charts, datasets) {
    var meta = JSON.parse(d.json_metadata || '{}');
    var layout = JSON.parse(d.position_json || '{}');
    var columns = {};
    datasets.forEach(function (ds) {
      columns[ds.id] = ds.columns.map(function (c) { return c.column_name; });
    });
    var tabs = [];
    var tabOf = {};
    var tabsNode = layout[(layout.ROOT_ID && layout.ROOT_ID.children[0]) || ''];
    (tabsNode ? tabsNode.children : []).forEach(function (id) {
      tabs.push({ id: id, title: layout[id].meta.text });
      (function collect(node) {
        node.children.forEach(function (child) {
          var n = layout[child];
          if (n.type === 'CHART') tabOf[n.meta.chartId] = id;
          else collect(n);
        });
      })(layout[id]);
    });
    return {
      id: d.id,
      dashboard_title: d.dashboard_title,
      tabs: tabs,
      native_filters: (meta.native_filter_configuration || []).map(function (f) {
        var t = f.targets[0];
        return { id: f.id, name: f.name, column: t.column.name, dataset_id: t.datasetId };
      }),
      charts: charts.map(function (c) {
        var ds = parseInt(c.form_data.datasource, 10);
        return { id: c.id, slice_name: c.slice_name, viz_type: c.form_data.viz_type, dataset_id: ds,
          tab: tabOf[c.id], columns: columns[ds] || [] };
      })
    };
  }

  function renderTabs() {
    var bar = $('tabs');
    bar.innerHTML = '';
    dashboard.tabs.forEach(function (t) {
      var b = el('button', { type: 'button', role: 'tab', id: 'tab-' + t.id, 'data-tab': t.id }, t.title);
      b.setAttribute('aria-selected', String(t.id === activeTab));
      b.addEventListener('click', function () { selectTab(t.id); });
      bar.appendChild(b);
    });
    bar.hidden = false;
    body.dataset.activeTab = activeTab;
  }

  function selectTab(id) {
    activeTab = id;
    body.dataset.activeTab = id;
    Array.prototype.forEach.call($('tabs').children, function (b) {
      b.setAttribute('aria-selected', String(b.dataset.tab === id));
    });
    showActiveCharts();
  }

  function renderFilters() {
    var bar = $('filter-bar');
    var list = $('filter-list');
    list.innerHTML = '';
    bar.hidden = !ui.showFilters;
    bar.dataset.expanded = String(ui.expandFilters);
    $('filter-toggle').onclick = function () {
      bar.dataset.expanded = bar.dataset.expanded === 'true' ? 'false' : 'true';
    };
    return Promise.all(dashboard.native_filters.map(function (f) {
      // As in Superset, a guest reads a filter's options through chart data
      // in the dashboard's context; it has no datasource permission.
      return api('POST', '/api/v1/chart/data', {
        datasource: { id: f.dataset_id, type: 'table' },
        form_data: { dashboardId: dashboard.id, type: 'NATIVE_FILTER', native_filter_id: f.id, viz_type: 'filter_select' },
        queries: [{ columns: [f.column] }],
        result_format: 'json',
        result_type: 'full'
      }).then(function (j) {
        return { f: f, values: j.result[0].data.map(function (row) { return row[f.column]; }) };
      });
    })).then(function (all) {
      all.forEach(function (x) {
        var f = x.f;
        var fs = el('fieldset', { class: 'filter', id: 'filter-' + f.column, 'data-filter-id': f.id });
        fs.appendChild(el('legend', {}, f.name));
        var chosen = filterValue(f.id);
        x.values.forEach(function (v) {
          var label = el('label');
          var cb = el('input', { type: 'checkbox', value: String(v), 'data-filter-value': String(v) });
          cb.checked = chosen.indexOf(v) >= 0;
          cb.addEventListener('change', function () { onFilterChange(f); });
          label.appendChild(cb);
          label.appendChild(document.createTextNode(' ' + v));
          fs.appendChild(label);
        });
        list.appendChild(fs);
      });
    });
  }

  function filterValue(id) {
    var m = dataMask[id];
    return (m && m.filterState && Array.isArray(m.filterState.value)) ? m.filterState.value : [];
  }

  function maskEntry(f, values) {
    return {
      id: f.id,
      extraFormData: values.length ? { filters: [{ col: f.column, op: 'IN', val: values }] } : {},
      filterState: { value: values.length ? values : null, label: values.join(', ') },
      ownState: {}
    };
  }

  function onFilterChange(f) {
    var values = Array.prototype.filter.call(
      document.querySelectorAll('#filter-' + CSS.escape(f.column) + ' input'), function (i) { return i.checked; }
    ).map(function (i) { return i.value; });
    var patch = {};
    patch[f.id] = maskEntry(f, values);
    setDataMask(patch, false);
  }

  // setDataMask merges a mask into the current one, updates the filter
  // checkboxes, re-queries the charts and, with uiConfig bit 16, emits
  // observeDataMask like Superset does.
  function setDataMask(mask, fromHost) {
    if (!mask || typeof mask !== 'object') return Promise.reject(new Error('dataMask must be an object'));
    var native = false;
    var cross = false;
    Object.keys(mask).forEach(function (id) {
      var entry = mask[id] || {};
      if (id.indexOf('NATIVE_FILTER') === 0) native = true; else cross = true;
      var values = (entry.filterState && Array.isArray(entry.filterState.value)) ? entry.filterState.value : [];
      var f = dashboard && dashboard.native_filters.filter(function (x) { return x.id === id; })[0];
      dataMask[id] = f ? maskEntry(f, values.map(String)) : entry;
      if (f) {
        Array.prototype.forEach.call(document.querySelectorAll('#filter-' + CSS.escape(f.column) + ' input'), function (i) {
          i.checked = values.map(String).indexOf(i.value) >= 0;
        });
      }
    });
    if (ui.emitDataMasks && switchboard) {
      var payload = clone(dataMask);
      payload.crossFiltersChanged = cross;
      payload.nativeFiltersChanged = native;
      switchboard.emit('observeDataMask', payload);
    }
    report('data_mask', { fromHost: fromHost, mask: Object.keys(mask) });
    return dashboard ? refreshCharts() : Promise.resolve();
  }

  function renderChartFrames() {
    var main = $('charts');
    main.innerHTML = '';
    dashboard.charts.forEach(function (c) {
      var box = el('section', { class: 'chart', id: 'chart-' + c.id, 'data-chart-id': String(c.id), 'data-tab': c.tab, 'data-status': 'loading' });
      var h = el('h2');
      h.appendChild(el('span', { class: 'title' }, c.slice_name));
      var controls = el('span', { class: 'controls' });
      var sort = el('button', { type: 'button', class: 'sort', title: 'Sort' }, 'sort');
      sort.addEventListener('click', function () {
        var s = chartStates[c.id] || { sortAsc: false };
        chartStates[c.id] = { sortAsc: !s.sortAsc };
        loadChart(c);
      });
      controls.appendChild(sort);
      h.appendChild(controls);
      box.appendChild(h);
      box.appendChild(el('div', { class: 'body' }));
      main.appendChild(box);
    });
    showActiveCharts();
  }

  function showActiveCharts() {
    dashboard.charts.forEach(function (c) {
      // With hideTab the tab bar is gone, so every tab's charts show.
      $('chart-' + c.id).hidden = !ui.hideTab && c.tab !== activeTab;
    });
  }

  function refreshCharts() {
    return Promise.all(dashboard.charts.map(loadChart));
  }

  function chartFilters(c) {
    var out = [];
    dashboard.native_filters.forEach(function (f) {
      // A filter applies to charts whose dataset has its column (Superset's
      // filter scoping, simplified).
      if (c.columns.indexOf(f.column) < 0) return;
      var v = filterValue(f.id);
      if (v.length) out.push({ col: f.column, op: 'IN', val: v });
    });
    return out;
  }

  function loadChart(c) {
    var box = $('chart-' + c.id);
    var state = chartStates[c.id] || {};
    var req = {
      datasource: { id: c.dataset_id, type: 'table' },
      force: false,
      form_data: { slice_id: c.id, dashboardId: dashboard.id, viz_type: c.viz_type },
      queries: [{ filters: chartFilters(c), orderby_desc: !state.sortAsc }],
      result_format: 'json',
      result_type: 'full'
    };
    box.dataset.status = 'loading';
    return api('POST', '/api/v1/chart/data', req).then(function (j) {
      var q = j.result[0];
      chartPayloads[String(c.id)] = j.result;
      var b = box.querySelector('.body');
      b.innerHTML = q.svg; // generated server-side with every text escaped
      if (ui.showRowLimitWarning && q.rowcount >= q.row_limit) {
        b.appendChild(el('p', { class: 'row-limit' }, 'Showing the first ' + q.row_limit + ' rows (row limit reached)'));
      }
      box.dataset.status = 'ready';
      box.dataset.rowcount = String(q.rowcount);
      setDebugWhere(c, q.where || '(none)');
    }, function (err) {
      var b = box.querySelector('.body');
      b.innerHTML = '';
      b.appendChild(el('p', { class: 'error' }, 'Error: ' + err.message));
      box.dataset.status = 'error';
      box.dataset.error = err.message;
      setDebugWhere(c, 'error: ' + err.message);
    });
  }

  function setDebugWhere(c, where) {
    var tbody = document.querySelector('#debug-where tbody');
    var row = document.getElementById('debug-where-' + c.id);
    if (!row) {
      row = el('tr', { id: 'debug-where-' + c.id });
      row.appendChild(el('td', {}, c.slice_name));
      row.appendChild(el('td', { class: 'where' }));
      tbody.appendChild(row);
    }
    row.querySelector('.where').textContent = where;
  }

  function renderRLS() {
    var claims = decodeJWT(guestToken) || {};
    var rules = claims.rls_rules || [];
    $('debug-rls').textContent = rules.length
      ? 'RLS rules in the guest token: ' + rules.map(function (r) {
        return (r.dataset ? 'dataset ' + r.dataset : 'all datasets') + ': (' + r.clause + ')';
      }).join('; ')
      : 'No RLS rules in the guest token.';
  }

  function chartStatesView() {
    var out = {};
    Object.keys(chartStates).forEach(function (id) {
      out[id] = { chartId: Number(id), state: chartStates[id] };
    });
    return out;
  }

  // ---- host calls ------------------------------------------------------

  function getDashboardPermalink(args) {
    if (!dashboard) return Promise.reject(new Error('dashboard not loaded'));
    var anchor = args && args.anchor;
    return api('POST', '/api/v1/dashboard/' + dashboard.id + '/permalink', {
      dataMask: dataMask, activeTabs: activeTab ? [activeTab] : [], anchor: anchor || undefined, urlParams: [],
      chartStates: chartStatesView()
    }).then(function (j) {
      // The host may map the key to its own URL; when it defines no
      // resolvePermalinkUrl (error reply), the BI host's URL stands.
      return switchboard.get('resolvePermalinkUrl', { key: j.key }).then(function (url) {
        return url || j.url;
      }, function () { return j.url; });
    });
  }

  function applyThemeMode(mode) {
    if (mode === 'system') {
      mode = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default';
    }
    body.dataset.themeMode = mode === 'dark' ? 'dark' : 'default';
  }

  // applyThemeConfig maps Superset 6 theme tokens onto the page's variables.
  function applyThemeConfig(tc) {
    if (!tc || typeof tc !== 'object') return;
    var token = tc.token || (tc.theme_default && tc.theme_default.token) || {};
    var map = { colorPrimary: '--primary', colorBgBase: '--bg', colorTextBase: '--fg', colorText: '--fg', fontFamily: '--font' };
    Object.keys(map).forEach(function (k) {
      if (typeof token[k] === 'string') body.style.setProperty(map[k], token[k]);
    });
    if (typeof token.colorPrimary === 'string') body.style.setProperty('--bar', token.colorPrimary);
    body.dataset.themeConfig = JSON.stringify(tc);
  }

  function clone(v) { return JSON.parse(JSON.stringify(v === undefined ? null : v)); }

  // ---- boot ------------------------------------------------------------

  if (window.self === window.top) {
    $('not-framed').hidden = false;
    setState('not-framed');
    return;
  }
  window.addEventListener('message', onMessage);
  setState('awaiting-token');
  if (cfg.queryToken) {
    // CalabiIQ's plain-iframe route: the token is in the URL already.
    receiveToken(cfg.queryToken, 'query');
  }
})();

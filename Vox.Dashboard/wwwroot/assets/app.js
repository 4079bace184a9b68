// Vox dashboard: a small single-page app over /dashboard/api. Plain JS, no build step; live data by server-sent events.
"use strict";
(() => {
  const base = '/dashboard';
  const main = document.getElementById('main');
  const nav = document.getElementById('nav');
  let session = null;
  // Chart colours (SVG presentation attributes take no CSS variables); the same as the swatches in app.css.
  const C = { free: '#2e9e5b', busy: '#3056d3', reserved: '#d9a400', lost: '#c8322f', eot: '#d9a400', stt: '#7c5cd6', llm: '#3056d3', tts: '#2e9e5b' };
  let cleanups = [];

  const h = v => v == null ? '' : String(v).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const when = t => t ? new Date(t).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' }) : '';
  const ago = ms => ms < 1000 ? `${ms} ms` : ms < 120000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60000)} min`;
  const clock = s => { s = Math.max(0, Math.floor(s)); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };
  const badge = v => `<span class="badge ${h(v)}">${h(String(v).replace('_', ' '))}</span>`;
  const ms = v => v == null ? '' : `${Math.round(v)} ms`;
  const table = (heads, rows, empty, attrs = '') => rows.length === 0
    ? `<div class="empty">${h(empty)}</div>`
    : `<div class="table-wrap"><table ${attrs}><thead><tr>${heads.map(x => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
  const onCleanup = f => cleanups.push(f);
  const every = (f, period) => { const id = setInterval(f, period); onCleanup(() => clearInterval(id)); };

  class ApiError extends Error { constructor(status, detail) { super(detail); this.status = status; } }

  async function api(path, options = {}) {
    const init = { method: options.method || 'GET', credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (init.method !== 'GET') {
      init.headers['X-Vox-Csrf'] = session ? session.csrf : '';
      if (options.body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(options.body); }
    }
    const response = await fetch(base + '/api' + path, init);
    if (response.status === 401 && !options.allow401) { toLogin(); throw new ApiError(401, 'Signed out'); }
    const type = response.headers.get('content-type') || '';
    const data = type.includes('json') ? await response.json() : null;
    if (!response.ok) throw new ApiError(response.status, (data && (data.detail || data.title)) || `HTTP ${response.status}`);
    return data;
  }

  function toLogin() {
    const back = location.pathname + location.search;
    go(`${base}/login${back.startsWith(base + '/login') ? '' : '?returnUrl=' + encodeURIComponent(back)}`, true);
  }

  function go(url, replace) {
    if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
    route();
  }

  document.addEventListener('click', e => {
    const a = e.target.closest('a');
    if (!a || a.target || a.hasAttribute('download') || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(base) || url.pathname.startsWith(base + '/api')) return;
    e.preventDefault();
    go(url.pathname + url.search);
  });
  window.addEventListener('popstate', route);
  document.getElementById('logout').addEventListener('click', async () => {
    await api('/logout', { method: 'POST' });
    session = null;
    go(base + '/login', true);
  });

  function render(page, html) {
    main.innerHTML = html;
    document.body.dataset.page = page;
    for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', location.pathname.startsWith(a.getAttribute('href')));
  }

  function fail(error) {
    if (error instanceof ApiError && error.status === 401) return;
    render('error', `<div class="panel"><p class="error">${h(error.status === 403 ? 'This page is for cluster admins.' : error.message)}</p></div>`);
  }

  async function route() {
    for (const f of cleanups.splice(0)) f();
    const path = location.pathname.replace(/\/+$/, '') || base;
    try {
      session = await api('/session', { allow401: true });
      nav.hidden = !session.authenticated;
      for (const a of nav.querySelectorAll('[data-admin]')) a.hidden = !session.isAdmin;
      if (!session.authenticated && path !== base + '/login') return toLogin();
      const parts = path.slice(base.length).split('/').filter(Boolean);
      const page = parts[0] || '';
      if (page === '') return go(`${base}/${session.isAdmin ? 'fleet' : 'live'}`, true);
      if (page === 'login') return loginPage();
      if (page === 'fleet') return await fleetPage();
      if (page === 'live') return await livePage();
      if (page === 'calls' && parts[1]) return await callPage(decodeURIComponent(parts[1]));
      if (page === 'calls') return await callsPage();
      if (page === 'latency') return await latencyPage();
      if (page === 'campaigns') return await campaignsPage();
      if (page === 'bots' && parts[1]) return await botPage(decodeURIComponent(parts[1]), new URLSearchParams(location.search).get('tenantId'));
      if (page === 'bots') return await botsPage();
      render('not-found', `<div class="panel"><p>No such page. <a href="${base}/">Go to the dashboard</a>.</p></div>`);
    } catch (error) { fail(error); }
  }

  // ---- Sign-in -------------------------------------------------------------------------------------------------------
  function loginPage() {
    if (session.authenticated) return go(base + '/', true);
    render('login', `
      <div class="panel login">
        <h1>Sign in to Vox</h1>
        <form id="login-form">
          <label>API key<input id="api-key" name="apiKey" type="password" autocomplete="off" placeholder="vox_…"></label>
          <details><summary class="muted">or a dashboard user</summary>
            <div class="form-grid">
              <label>User name<input id="username" name="username" autocomplete="username"></label>
              <label>Password<input id="password" name="password" type="password" autocomplete="current-password"></label>
            </div>
          </details>
          <button type="submit">Sign in</button>
          <p id="login-error" class="error" role="alert"></p>
        </form>
      </div>`);
    document.getElementById('login-form').addEventListener('submit', async e => {
      e.preventDefault();
      const f = e.target;
      const body = f.apiKey.value.trim() ? { apiKey: f.apiKey.value.trim() } : { username: f.username.value, password: f.password.value };
      try {
        await api('/login', { method: 'POST', body, allow401: true });
        const back = new URLSearchParams(location.search).get('returnUrl');
        go(back && back.startsWith(base + '/') && !back.startsWith('//') ? back : base + '/', true);
      } catch (error) {
        document.getElementById('login-error').textContent = error.message;
      }
    });
  }

  // ---- Fleet ---------------------------------------------------------------------------------------------------------
  async function fleetPage() {
    const draw = data => {
      const silos = data.silos.map(s => `<tr><td>${h(s.siloId)}${s.isThisSilo ? ' <span class="muted">(this)</span>' : ''}</td><td>${badge(s.status)}</td>
        <td>${h(s.host)}</td><td>${h(ago(s.heartbeatAgeMs))}</td><td>${h(s.roles.join(', '))}</td><td>${h(s.version)}</td>
        <td>${s.cpuPercent == null ? '<span class="muted">n/a</span>' : h(s.cpuPercent + ' %')}</td><td>${s.memoryMb == null ? '<span class="muted">n/a</span>' : h(s.memoryMb + ' MiB')}</td></tr>`);
      const hosts = data.hosts.map(host => `<div class="panel host"><h2>${h(host.host)} <span class="muted">free ${host.free} · reserved ${host.reserved} · busy ${host.busy} · lost ${host.lost}${host.notReady ? ` · not ready ${host.notReady}` : ''}</span></h2>
        ${table(['Worker', 'Slot', 'Call', 'Direction', 'Heartbeat', 'Version'], host.workers.map(w => `<tr class="worker" data-worker-id="${h(w.workerId)}" data-ready="${w.ready}">
          <td>${h(w.workerId)}</td><td>${badge(w.state)}${w.ready ? '' : `<div class="not-ready-reason">${h(w.notReadyReason || 'not ready')}</div>${w.notReadyFix ? `<div class="not-ready-fix">fix: <code>${h(w.notReadyFix)}</code></div>` : ''}`}</td><td>${w.callId ? `<a href="${base}/calls/${encodeURIComponent(w.callId)}">${h(w.callId)}</a>` : ''}</td>
          <td>${h(w.direction)}</td><td>${h(ago(w.heartbeatAgeMs))} ago</td><td>${h(w.version)}</td></tr>`), 'No workers')}</div>`).join('');
      const capacity = VoxCharts.lines([
        { name: 'capacity', color: C.free, points: data.history.map(s => [Date.parse(s.at), s.capacity]) },
        { name: 'active', color: C.busy, points: data.history.map(s => [Date.parse(s.at), s.active]) }], { label: 'Capacity against active calls' });
      const minutes = [];
      const byMinute = new Map(data.callsPerMinute.map(b => [Date.parse(b.minute), b]));
      const now = Math.floor(Date.parse(data.takenAt) / 60000) * 60000;
      for (let t = now - 59 * 60000; t <= now; t += 60000) {
        const b = byMinute.get(t);
        minutes.push({ label: new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }), values: [b ? b.inbound : 0, b ? b.outbound : 0] });
      }
      const orleansSilos = data.orleansSilos.map(s => `<tr><td>${h(s.siloName)}${s.isThisSilo ? ' <span class="muted">(this)</span>' : ''}</td>
        <td>${badge(s.status.toLowerCase())}</td><td>${h(s.address)}</td><td>${h(s.hostName)}</td><td>${h(s.startedAt ? when(s.startedAt) : '')}</td></tr>`);
      const orleans = data.orleans ? `<div class="panel"><h2>Orleans cluster <span class="muted">${h(data.orleans.clusterId)} · service ${h(data.orleans.serviceId)} · ${h(data.orleans.clustering)} clustering</span>
        ${data.orleans.dashboardPath ? `<a id="orleans-dashboard" href="${h(data.orleans.dashboardPath)}/" target="_blank" rel="noopener">Orleans dashboard</a>` : ''}</h2>
        ${table(['Silo', 'Status', 'Address', 'Host', 'Started'], orleansSilos, 'No silos in Orleans membership', 'id="orleans-silos"')}</div>` : '';
      const reminders = data.reminders.map(r => `<tr><td>${h(r.grainType)}</td><td>${h(r.grainKey)}</td><td>${h(r.name)}</td><td>${h(when(r.nextDueAt))}</td>
        <td>${h(r.claimedBy || r.lastFiredBy || '')}</td><td>${h(r.fireCount)}</td></tr>`);
      render('fleet', `
        <h1>Fleet <span class="muted">pool ${h(data.pool)}</span></h1>
        <div class="cards">
          <div class="card"><div class="n" id="slots-total">${data.total}</div><div class="l">slots</div></div>
          <div class="card"><div class="n" id="slots-free">${data.free}</div><div class="l">free</div></div>
          <div class="card"><div class="n">${data.reserved}</div><div class="l">reserved</div></div>
          <div class="card"><div class="n" id="slots-busy">${data.busy}</div><div class="l">busy</div></div>
          <div class="card"><div class="n muted" title="Workers do not report draining yet">n/a</div><div class="l">draining</div></div>
          <div class="card"><div class="n">${data.lost}</div><div class="l">lost</div></div>
          <div class="card"><div class="n" id="slots-not-ready">${data.notReady}</div><div class="l">not ready</div></div>
          <div class="card"><div class="n">${data.silos.filter(s => s.status === 'active').length}</div><div class="l">silos up</div></div>
        </div>
        <div class="grid">
          <div class="panel"><h2>Capacity against active calls</h2>${capacity}
            <div class="legend"><span><i class="sw-free"></i>slots</span><span><i class="sw-busy"></i>reserved + busy</span></div></div>
          <div class="panel"><h2>Calls per minute (last hour)</h2>${VoxCharts.bars(minutes, [C.busy, C.free], { label: 'Calls per minute' })}
            <div class="legend"><span><i class="sw-in"></i>inbound</span><span><i class="sw-out"></i>outbound</span></div></div>
        </div>
        <div class="panel"><h2>Silos</h2>${table(['Silo', 'Status', 'Host', 'Heartbeat', 'Roles', 'Version', 'CPU', 'Memory'], silos, 'No silos registered', 'id="silos"')}</div>
        ${orleans}
        <h2>Workers by host</h2>
        <div id="hosts">${hosts || '<div class="panel empty">No workers registered</div>'}</div>
        <div class="panel"><h2>Reminders</h2>${table(['Grain type', 'Key', 'Name', 'Next due', 'Owner', 'Fired'], reminders, 'No reminders')}</div>
        <div class="panel"><h2>Campaign leases</h2>${data.campaignLeases ? storeTable(data.campaignLeases, 'No leases held') : '<div class="empty">No campaigns yet: the store has no campaign leases table.</div>'}</div>`);
    };
    draw(await api('/fleet'));
    every(async () => { try { draw(await api('/fleet')); } catch (error) { fail(error); } }, 5000);
  }

  function storeTable(t, empty) {
    return table(t.columns, t.rows.map(r => `<tr>${r.map(v => `<td>${h(v)}</td>`).join('')}</tr>`), empty);
  }

  // ---- Live calls ----------------------------------------------------------------------------------------------------
  async function livePage() {
    const watched = new URLSearchParams(location.search).get('call');
    render('live', `
      <h1>Live calls <span class="muted" id="live-count"></span></h1>
      <div class="panel"><div id="live-calls"><div class="empty">Connecting…</div></div></div>
      <div class="panel" id="watch" ${watched ? '' : 'hidden'}><h2>Transcript <span class="muted" id="watch-title"></span></h2>
        <div id="transcript" class="transcript"></div></div>`);
    let calls = [];
    const drawCalls = () => {
      document.getElementById('live-count').textContent = `(${calls.length})`;
      const now = Date.now();
      document.getElementById('live-calls').innerHTML = table(
        ['Call', ...(session.isAdmin ? ['Tenant'] : []), 'Bot', 'Transport', 'Direction', 'From', 'To', 'State', 'Duration', ''],
        calls.map(c => `<tr class="live-call${c.id === watched ? ' selected' : ''}" data-call-id="${h(c.id)}">
          <td><a href="${base}/live?call=${encodeURIComponent(c.id)}">${h(c.id)}</a></td>${session.isAdmin ? `<td class="id" title="${h(c.tenantId)}">${h(c.tenantId)}</td>` : ''}
          <td>${h(c.botId)}</td><td>${h(c.transport)}</td><td>${h(c.direction)}</td><td>${h(c.from)}</td><td>${h(c.to)}</td><td>${badge(c.state)}</td>
          <td class="duration" data-since="${h(c.answeredAt || c.createdAt)}">${clock((now - Date.parse(c.answeredAt || c.createdAt)) / 1000)}</td>
          <td class="actions"><a href="${base}/live?call=${encodeURIComponent(c.id)}">Watch</a>${session.isAdmin ? `<button type="button" class="danger hangup" data-call-id="${h(c.id)}">Hang up</button>` : ''}</td></tr>`),
        'No calls in progress', 'id="live-table"');
    };
    const drawCall = data => {
      document.getElementById('watch').hidden = false;
      document.getElementById('watch-title').textContent = `${data.call.id} · ${data.call.state.replace('_', ' ')}`;
      document.getElementById('transcript').innerHTML = data.turns.length === 0
        ? '<div class="empty">No transcript turns stored yet</div>'
        : data.turns.map(t => `<div class="turn ${h(t.role)}"><div class="who">${h(t.role)} · ${clock(t.startMs / 1000)}${t.interrupted ? ' · cut off' : ''}</div>${h(t.text)}</div>`).join('');
      const box = document.getElementById('transcript');
      box.scrollTop = box.scrollHeight;
    };
    const source = new EventSource(`${base}/api/live${watched ? '?callId=' + encodeURIComponent(watched) : ''}`);
    onCleanup(() => source.close());
    source.addEventListener('calls', e => { calls = JSON.parse(e.data); drawCalls(); });
    source.addEventListener('call', e => drawCall(JSON.parse(e.data)));
    source.onerror = () => { if (source.readyState === EventSource.CLOSED) route(); };
    every(() => {
      for (const td of main.querySelectorAll('td.duration')) td.textContent = clock((Date.now() - Date.parse(td.dataset.since)) / 1000);
    }, 1000);
    const hangUp = async e => {
      const button = e.target.closest('button.hangup');
      if (!button) return;
      if (button.dataset.confirm !== '1') { button.dataset.confirm = '1'; button.textContent = 'Confirm hang-up'; return; }
      button.disabled = true;
      try { await api(`/calls/${encodeURIComponent(button.dataset.callId)}/hangup`, { method: 'POST' }); } catch (error) {
        Object.assign(button, { disabled: false, textContent: 'Hang up' });
        button.dataset.confirm = '';
        alertIn(button, error);
      }
    };
    main.addEventListener('click', hangUp);
    onCleanup(() => main.removeEventListener('click', hangUp));
  }

  function alertIn(element, error) {
    element.insertAdjacentHTML('afterend', `<span class="error">${h(error.message)}</span>`);
  }

  // ---- Call log ------------------------------------------------------------------------------------------------------
  async function callsPage() {
    const q = new URLSearchParams(location.search);
    const bots = await api('/bots').catch(() => ({ items: [] }));
    render('calls', `
      <h1>Call log</h1>
      <div class="panel"><form class="filters" id="filters">
        <label>Bot<input name="botId" list="bot-ids" value="${h(q.get('botId'))}"><datalist id="bot-ids">${bots.items.map(b => `<option value="${h(b.id)}">${h(b.definition.name)}</option>`).join('')}</datalist></label>
        <label>Status<select name="state">${['', 'queued', 'ringing', 'in_progress', 'ended'].map(s => `<option value="${s}" ${q.get('state') === s ? 'selected' : ''}>${s ? s.replace('_', ' ') : 'any'}</option>`).join('')}</select></label>
        <label>From<input type="date" name="from" value="${h(q.get('from'))}"></label>
        <label>To<input type="date" name="to" value="${h(q.get('to'))}"></label>
        <label>Number<input name="number" inputmode="tel" placeholder="+14155550100" value="${h(q.get('number'))}"></label>
        ${session.isAdmin ? `<label>Tenant<input name="tenantId" value="${h(q.get('tenantId'))}"></label>` : ''}
        <button type="submit">Filter</button>
      </form></div>
      <div class="panel"><div id="call-list"><div class="empty">Loading…</div></div>
        <div class="actions"><button type="button" class="secondary" id="prev" hidden>Previous page</button><button type="button" class="secondary" id="next" hidden>Next page</button>
        <span class="muted" id="server-time"></span></div></div>`);
    document.getElementById('filters').addEventListener('submit', e => {
      e.preventDefault();
      const params = new URLSearchParams();
      for (const [k, v] of new FormData(e.target)) if (String(v).trim()) params.set(k, String(v).trim());
      go(`${base}/calls${params.toString() ? '?' + params : ''}`);
    });
    const cursors = [null];
    const load = async () => {
      const params = new URLSearchParams(q);
      const cursor = cursors[cursors.length - 1];
      if (cursor) params.set('cursor', cursor);
      params.set('limit', '50');
      const started = performance.now();
      let page;
      try { page = await api('/calls?' + params); } catch (error) {
        document.getElementById('call-list').innerHTML = `<p class="error">${h(error.message)}</p>`; return;
      }
      document.getElementById('server-time').textContent = `${page.items.length} calls · ${Math.round(performance.now() - started)} ms`;
      document.getElementById('call-list').innerHTML = table(
        ['Created', ...(session.isAdmin ? ['Tenant'] : []), 'Bot', 'Direction', 'From', 'To', 'Status', 'End reason', 'Duration', 'Recording'],
        page.items.map(c => `<tr class="call-row" data-call-id="${h(c.id)}"><td><a href="${base}/calls/${encodeURIComponent(c.id)}">${h(when(c.createdAt))}</a></td>
          ${session.isAdmin ? `<td class="id" title="${h(c.tenantId)}">${h(c.tenantId)}</td>` : ''}<td>${h(c.botId)}</td><td>${h(c.direction)}</td><td>${h(c.from)}</td><td>${h(c.to)}</td>
          <td>${badge(c.state)}</td><td>${h(c.endReason)}</td><td>${c.answeredAt && c.endedAt ? clock((Date.parse(c.endedAt) - Date.parse(c.answeredAt)) / 1000) : ''}</td>
          <td>${c.recordingRef ? 'yes' : ''}</td></tr>`),
        'No calls match these filters', 'id="calls-table"');
      const next = document.getElementById('next');
      next.hidden = !page.nextCursor;
      next.onclick = () => { cursors.push(page.nextCursor); load(); };
      const prev = document.getElementById('prev');
      prev.hidden = cursors.length === 1;
      prev.onclick = () => { cursors.pop(); load(); };
    };
    await load();
  }

  async function callPage(id) {
    const d = await api(`/calls/${encodeURIComponent(id)}`);
    const c = d.call;
    const metrics = (c.metrics && c.metrics.turns) || [];
    const rows = metrics.map(m => ({
      label: m.turnId === 0 ? 'greeting' : `turn ${m.turnId}`,
      parts: [{ name: 'end of turn', value: m.endOfUtteranceDelayMs, color: C.eot }, { name: 'STT', value: m.sttFinalDelayMs, color: C.stt },
        { name: 'LLM', value: m.llmTimeToFirstTokenMs, color: C.llm }, { name: 'TTS', value: m.ttsTimeToFirstByteMs, color: C.tts }],
      marker: m.voiceToVoiceMs,
    }));
    const cost = d.cost.map(p => `<tr><td>${h(p.provider)}</td><td>${Object.entries(p.usage).map(([k, v]) => `${h(k)}: ${h(v)}`).join('<br>')}</td>
      <td>${p.cost == null ? '<span class="muted">no price set</span>' : h(p.cost.toFixed(4))}</td></tr>`);
    const deliveries = d.deliveries.map(w => `<tr><td>${h(w.eventType)}</td><td>${h(w.endpointId)}</td><td>${badge(w.status)}</td><td>${h(w.attempts)}</td>
      <td>${h(w.lastStatusCode)}</td><td>${h(when(w.lastAttemptAt))}</td><td class="wrap">${h(w.lastError)}</td></tr>`);
    render('call', `
      <h1>Call ${h(c.id)} ${badge(c.state)}</h1>
      <div class="grid">
        <div class="panel"><h2>Call</h2><dl class="facts">
          ${session.isAdmin ? `<dt>Tenant</dt><dd>${h(c.tenantId)}</dd>` : ''}
          <dt>Bot</dt><dd><a href="${base}/bots/${encodeURIComponent(c.botId)}${session.isAdmin ? '?tenantId=' + encodeURIComponent(c.tenantId) : ''}">${h(c.botId)}</a> v${h(c.botVersion)}</dd>
          <dt>Direction</dt><dd>${h(c.direction)} · ${h(c.transport)}</dd><dt>From</dt><dd>${h(c.from)}</dd><dt>To</dt><dd>${h(c.to)}</dd>
          <dt>Created</dt><dd>${h(when(c.createdAt))}</dd><dt>Answered</dt><dd>${h(when(c.answeredAt))}</dd><dt>Ended</dt><dd>${h(when(c.endedAt))}</dd>
          <dt>End reason</dt><dd>${h(c.endReason)} ${c.endDetail ? `<span class="muted">${h(c.endDetail)}</span>` : ''}</dd><dt>Worker</dt><dd>${h(c.workerId)}</dd>
        </dl></div>
        <div class="panel"><h2>Recording</h2>${c.recordingRef
          ? `<audio id="recording" controls preload="metadata" src="${base}/api/calls/${encodeURIComponent(c.id)}/recording"></audio>`
          : `<div class="empty">${c.state === 'ended' ? 'No recording' : 'The recording is stored when the call ends'}</div>`}
          <h2>Cost per provider</h2>${table(['Provider', 'Usage', 'Cost'], cost, 'No usage reported')}</div>
      </div>
      <div class="grid">
        <div class="panel"><h2>Transcript</h2><div class="transcript" id="transcript">${d.turns.length === 0 ? '<div class="empty">No transcript</div>'
          : d.turns.map(t => `<div class="turn ${h(t.role)}"><div class="who">${h(t.role)} · ${clock(t.startMs / 1000)}${t.interrupted ? ' · cut off' : ''}</div>${h(t.text)}</div>`).join('')}</div></div>
        <div class="panel"><h2>Latency per turn</h2><div id="latency-chart">${VoxCharts.stacked(rows, { label: 'Latency per turn' })}</div>
          <div class="legend"><span><i class="sw-eot"></i>end of turn</span><span><i class="sw-stt"></i>STT</span><span><i class="sw-llm"></i>LLM first token</span><span><i class="sw-tts"></i>TTS first byte</span><span>| voice-to-voice</span></div></div>
      </div>
      <div class="panel"><h2>Webhook deliveries</h2>${table(['Event', 'Endpoint', 'Status', 'Attempts', 'Last status', 'Last attempt', 'Error'], deliveries, 'No webhook deliveries for this call')}</div>
      <div class="panel"><h2>Timeline</h2>${table(['At', 'Event', 'Data'], d.events.map(e => `<tr><td>${h(when(e.at))}</td><td>${h(e.type)}</td><td class="wrap">${h(e.data ? JSON.stringify(e.data) : '')}</td></tr>`), 'No events')}</div>`);
  }

  // ---- Latency and cost ----------------------------------------------------------------------------------------------
  async function latencyPage() {
    const win = new URLSearchParams(location.search).get('window') || '1h';
    const s = await api('/stats?window=' + encodeURIComponent(win));
    const rows = s.latency.map(p => ({ label: p.name, parts: [{ name: 'p50', value: p.p50, color: C.busy }, { name: 'p95 − p50', value: p.p95 - p.p50, color: C.reserved }, { name: 'p99 − p95', value: p.p99 - p.p95, color: C.lost }] }));
    render('latency', `
      <h1>Latency &amp; cost</h1>
      <div class="panel actions">${['15m', '1h', '24h', '7d'].map(w => w === win ? `<strong>${w}</strong>` : `<a href="${base}/latency?window=${w}">${w}</a>`).join(' · ')}
        <span class="muted">${s.calls} ended calls${s.truncated ? ' (newest only)' : ''}</span></div>
      <div class="grid">
        <div class="panel"><h2>Percentiles (ms)</h2>${table(['Stage / provider', 'Turns', 'p50', 'p95', 'p99'],
          s.latency.map(p => `<tr><td>${h(p.name)}</td><td>${p.count}</td><td>${ms(p.p50)}</td><td>${ms(p.p95)}</td><td>${ms(p.p99)}</td></tr>`), 'No ended calls with metrics in this window', 'id="latency-table"')}</div>
        <div class="panel"><h2>p50 / p95 / p99</h2>${VoxCharts.stacked(rows, { label: 'Latency percentiles' })}</div>
      </div>
      <div class="panel"><h2>Cost per provider</h2>${table(['Provider', 'Usage', 'Cost'], s.cost.map(p => `<tr><td>${h(p.provider)}</td>
        <td>${Object.entries(p.usage).map(([k, v]) => `${h(k)}: ${h(v)}`).join('<br>')}</td><td>${p.cost == null ? '<span class="muted">no price set (Dashboard:Prices)</span>' : h(p.cost.toFixed(4))}</td></tr>`), 'No usage in this window')}</div>`);
  }

  // ---- Campaigns -----------------------------------------------------------------------------------------------------
  async function campaignsPage() {
    const c = await api('/campaigns');
    render('campaigns', `<h1>Campaigns</h1><div class="panel" id="campaigns">${c.exists
      ? storeTable(c.campaigns, 'No campaigns')
      : '<div class="empty"><strong>No campaigns yet.</strong><br>Outbound campaigns are not part of this Vox build: their progress, pacing, outcomes and pause/resume show here once the campaign store exists.</div>'}</div>`);
  }

  // ---- Bots ----------------------------------------------------------------------------------------------------------
  const widget = id => session.widgetUrl.replace('{botId}', encodeURIComponent(id));

  async function botsPage() {
    const page = await api('/bots');
    const edit = b => `${base}/bots/${encodeURIComponent(b.id)}${session.isAdmin ? '?tenantId=' + encodeURIComponent(b.tenantId) : ''}`;
    render('bots', `<h1>Bots</h1><div class="panel">${table(['Name', 'Id', ...(session.isAdmin ? ['Tenant'] : []), 'Version', 'STT', 'LLM', 'TTS / voice', 'Updated', ''],
      page.items.map(b => `<tr class="bot-row" data-bot-id="${h(b.id)}"><td><a href="${edit(b)}">${h(b.definition.name)}</a></td><td>${h(b.id)}</td>${session.isAdmin ? `<td class="id" title="${h(b.tenantId)}">${h(b.tenantId)}</td>` : ''}
        <td>${b.version}</td><td>${h(b.definition.stt.provider)}</td><td>${h(b.definition.llm.provider)} ${h(b.definition.llm.model)}</td>
        <td>${h(b.definition.tts.provider)} ${h(b.definition.tts.voice)}</td><td>${h(when(b.updatedAt))}</td>
        <td class="actions"><a href="${edit(b)}">Edit</a><a href="${h(widget(b.id))}" target="_blank" rel="noopener">Test call</a></td></tr>`),
      'No bots yet: create one with POST /v1/bots', 'id="bots-table"')}</div>`);
  }

  async function botPage(id, tenantId) {
    const path = `/bots/${encodeURIComponent(id)}${tenantId ? '?tenantId=' + encodeURIComponent(tenantId) : ''}`;
    const bot = await api(path);
    const d = bot.definition;
    render('bot', `
      <h1>${h(d.name)} <span class="muted">${h(bot.id)} · v<span id="bot-version">${bot.version}</span></span></h1>
      <form class="panel" id="bot-form">
        <div class="form-grid">
          <label>Name<input name="name" required maxlength="200" value="${h(d.name)}"></label>
          <label>Language<input name="language" value="${h(d.language)}"></label>
          <label class="full">System prompt<textarea name="systemPrompt">${h(d.systemPrompt)}</textarea></label>
          <label class="full">First message<input name="firstMessage" value="${h(d.firstMessage)}"></label>
          <label>STT provider<input name="sttProvider" value="${h(d.stt.provider)}"></label>
          <label>STT model<input name="sttModel" value="${h(d.stt.model)}"></label>
          <label>LLM provider<input name="llmProvider" value="${h(d.llm.provider)}"></label>
          <label>LLM model<input name="llmModel" value="${h(d.llm.model)}"></label>
          <label>TTS provider<input name="ttsProvider" value="${h(d.tts.provider)}"></label>
          <label>TTS model<input name="ttsModel" value="${h(d.tts.model)}"></label>
          <label>Voice<input name="ttsVoice" value="${h(d.tts.voice)}"></label>
          <label class="full">Tools (JSON)<textarea name="tools">${h(JSON.stringify(d.tools, null, 2))}</textarea></label>
        </div>
        <div class="actions"><button type="submit">Save</button><a href="${h(widget(bot.id))}" target="_blank" rel="noopener" id="test-call">Test call in the browser widget</a>
          <span id="bot-status" role="status"></span></div>
      </form>`);
    let version = bot.version;
    document.getElementById('bot-form').addEventListener('submit', async e => {
      e.preventDefault();
      const f = e.target, status = document.getElementById('bot-status');
      const opt = v => v.trim() === '' ? undefined : v.trim();
      let tools;
      try { tools = JSON.parse(f.tools.value || '[]'); } catch { status.className = 'error'; status.textContent = 'Tools must be a JSON array.'; return; }
      const definition = { ...d, name: f.name.value.trim(), language: f.language.value.trim() || d.language, systemPrompt: f.systemPrompt.value, firstMessage: opt(f.firstMessage.value),
        stt: { ...d.stt, provider: f.sttProvider.value.trim(), model: opt(f.sttModel.value) },
        llm: { ...d.llm, provider: f.llmProvider.value.trim(), model: opt(f.llmModel.value) },
        tts: { ...d.tts, provider: f.ttsProvider.value.trim(), model: opt(f.ttsModel.value), voice: opt(f.ttsVoice.value) }, tools };
      try {
        const saved = await api(path, { method: 'PUT', body: { definition, expectedVersion: version } });
        version = saved.version;
        Object.assign(d, saved.definition);
        document.getElementById('bot-version').textContent = saved.version;
        status.className = 'muted'; status.textContent = `Saved as version ${saved.version}.`;
      } catch (error) { status.className = 'error'; status.textContent = error.message; }
    });
  }

  route();
})();

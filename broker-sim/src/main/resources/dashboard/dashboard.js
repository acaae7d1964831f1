// broker-sim dashboard: renders the "state" and "timeline" server-sent events; the buttons POST
// to /api/faults/NAME?id=N. Plain DOM, no libraries, nothing fetched from elsewhere.
(function () {
  'use strict';
  const TIMELINE_MAX = 300;
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  const pill = (text, cls) => el('span', { class: 'pill ' + (cls || text) }, text);
  const faultButton = (label, fault, id) => el('button', { 'data-fault': fault, 'data-id': id }, label);

  function setValue(id, v, bad) {
    const e = $(id);
    e.textContent = v;
    e.classList.toggle('bad', !!bad);
  }

  function render(s) {
    document.body.classList.toggle('no-coordinators', !s.hasCoordinators);
    setValue('controller-id', s.controller.id < 0 ? 'none' : 'broker ' + s.controller.id, s.controller.id < 0);
    setValue('controller-epoch', s.controller.epoch);
    setValue('active-controllers', s.controller.activeCount, s.controller.activeCount !== 1);
    setValue('offline-partitions', s.offlinePartitions, s.offlinePartitions !== 0);
    setValue('under-replicated', s.underReplicatedPartitions, s.underReplicatedPartitions !== 0);
    const err = $('read-error');
    err.hidden = !s.readError;
    err.textContent = s.readError || '';

    $('coordinators').replaceChildren(...s.coordinators.map((m) => el('tr', { 'data-member': m.id },
      el('td', {}, 'node ' + m.id),
      el('td', {}, pill(m.mode)),
      el('td', {}, m.term < 0 ? '–' : m.term),
      el('td', {}, m.commitIndex < 0 ? '–' : m.commitIndex),
      el('td', {}, m.mode === 'down' ? faultButton('start', 'start-coordinator', m.id)
        : faultButton('stop', 'stop-coordinator', m.id)))));

    $('brokers').replaceChildren(...s.brokers.map((b) => {
      const state = el('td', {}, pill(b.state));
      if (b.paused) state.append(' ', pill('paused'));
      if (b.alive && !b.registered) state.append(' ', pill('unregistered'));
      if (b.id === s.controller.id) state.append(' ', pill('controller'));
      const actions = el('td', {});
      if (b.alive) {
        actions.append(faultButton('kill', 'kill-broker', b.id), faultButton('hang', 'hang-broker', b.id));
        if (b.paused) actions.append(faultButton('resume', 'resume-broker', b.id));
      } else {
        actions.append(faultButton('start', 'start-broker', b.id));
      }
      return el('tr', { 'data-broker': b.id }, el('td', {}, 'broker ' + b.id), state,
        el('td', {}, b.epoch), el('td', {}, b.alive ? b.leads : '–'), actions);
    }));

    $('topics').replaceChildren(...s.topics.map((t) => el('div', { class: 'topic' },
      el('h3', {}, t.name + (t.deleting ? ' (deleting)' : '')),
      el('div', { class: 'partitions' }, ...t.partitions.map((p) => {
        const cls = p.leader < 0 ? 'offline' : (p.isr.length < p.replicas.length ? 'under' : '');
        return el('div', { class: 'partition ' + cls, 'data-partition': t.name + '-' + p.partition },
          el('b', {}, t.name + '-' + p.partition), ' leader ', p.leader < 0 ? 'none' : p.leader,
          ' · epoch ', p.leaderEpoch, ' · isr [', p.isr.join(','), '] of [', p.replicas.join(','), ']');
      })))));
  }

  function addEvent(e) {
    const list = $('timeline');
    list.prepend(el('li', { class: e.kind }, e.line));
    while (list.children.length > TIMELINE_MAX) list.lastElementChild.remove();
  }

  document.addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-fault]');
    if (!b) return;
    const id = b.getAttribute('data-id');
    const url = '/api/faults/' + b.getAttribute('data-fault') + (id ? '?id=' + encodeURIComponent(id) : '');
    const out = $('fault-result');
    out.textContent = '…';
    out.className = '';
    fetch(url, { method: 'POST' })
      .then((r) => r.json().then((body) => ({ ok: r.ok, body })))
      .then(({ ok, body }) => {
        out.textContent = ok ? body.ok : body.error;
        out.className = ok ? 'ok' : 'bad';
      })
      .catch((err) => { out.textContent = String(err); out.className = 'bad'; });
  });

  function connect() {
    const conn = $('connection');
    const source = new EventSource('/events');
    source.addEventListener('open', () => {
      conn.textContent = 'live';
      conn.className = 'pill up';
      $('timeline').replaceChildren(); // the server sends the recent timeline on every connect
    });
    source.addEventListener('error', () => { conn.textContent = 'reconnecting…'; conn.className = 'pill down'; });
    source.addEventListener('state', (m) => render(JSON.parse(m.data)));
    source.addEventListener('timeline', (m) => addEvent(JSON.parse(m.data)));
  }
  connect();
})();

// The labelling page: plain DOM, no framework. All state comes from /api/state; every answer is a conditional
// write (If-Match: the version this page saw), so a 409 means someone else answered first and is shown, not lost.
'use strict';

const LABEL_RULE = /^(?![. ])[^\/\\\u0000-\u001f\u007f]{1,128}$/;

const state = {
  labels: [], examples: [], byId: new Map(), view: [], focus: null, selected: new Set(), anchor: null,
  undo: [],
};

const $ = (id) => document.getElementById(id);

// Actions run one after another in key-press order; body[data-busy] says whether any is still running.
let queue = Promise.resolve();
let pending = 0;
function run(action) {
  pending++;
  document.body.dataset.busy = String(pending);
  queue = queue.then(action).catch((err) => say(String(err), 'error')).finally(() => {
    pending--;
    document.body.dataset.busy = String(pending);
  });
}

function el(tag, props, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  for (const c of children) e.append(c);
  return e;
}

function say(text, kind) {
  const m = $('message');
  m.textContent = text;
  m.className = kind || 'info';
}

async function api(method, path, body, headers) {
  const init = { method, headers: Object.assign({}, headers || {}), credentials: 'same-origin' };
  if (body !== undefined) {
    if (typeof body === 'string') {
      init.body = body;
    } else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({ error: response.statusText }));
  return { status: response.status, data };
}

function encode(id) { return encodeURIComponent(id); }

async function load() {
  const { status, data } = await api('GET', '/api/state');
  if (status !== 200) { say(data.error, 'error'); return; }
  state.labels = data.labels;
  state.examples = data.examples;
  state.byId = new Map(data.examples.map((e) => [e.id, e]));
  fillFilter('filter-camera', data.examples.map((e) => e.device + '/' + e.camera));
  fillFilter('filter-reason', data.examples.map((e) => e.reason));
  fillFilter('filter-predicted', data.examples.map((e) => e.predicted).filter((p) => p));
  render();
}

function fillFilter(id, values) {
  const select = $(id);
  const keep = select.value;
  while (select.options.length > 1) select.remove(1);
  for (const v of [...new Set(values)].sort()) select.append(el('option', { value: v, textContent: v }));
  select.value = [...select.options].some((o) => o.value === keep) ? keep : '';
}

function answered(e) { return e.label != null || e.discarded; }

function visible() {
  const camera = $('filter-camera').value;
  const reason = $('filter-reason').value;
  const predicted = $('filter-predicted').value;
  const unanswered = $('filter-unanswered').checked;
  const list = state.examples.filter((e) => (!camera || e.device + '/' + e.camera === camera)
    && (!reason || e.reason === reason) && (!predicted || e.predicted === predicted)
    && (!unanswered || !answered(e)));
  const sort = $('sort').value;
  const byTime = (a, b) => a.capturedAt.localeCompare(b.capturedAt) || a.id.localeCompare(b.id);
  if (sort === 'uncertain') {
    list.sort((a, b) => a.margin - b.margin || (a.top[0] ? a.top[0].score : 0) - (b.top[0] ? b.top[0].score : 0)
      || byTime(a, b));
  } else if (sort === 'camera') {
    list.sort((a, b) => (a.device + '/' + a.camera).localeCompare(b.device + '/' + b.camera) || byTime(a, b));
  } else {
    list.sort(byTime);
  }
  return list;
}

function render() {
  const before = state.view.map((e) => e.id);
  const focusIndex = state.focus ? before.indexOf(state.focus) : -1;
  state.view = visible();
  const ids = state.view.map((e) => e.id);
  if (!ids.includes(state.focus)) {
    state.focus = ids.length ? ids[Math.min(Math.max(focusIndex, 0), ids.length - 1)] : null;
  }
  for (const id of [...state.selected]) if (!ids.includes(id)) state.selected.delete(id);
  const grid = $('grid');
  grid.replaceChildren(...state.view.map(card));
  renderLabels();
  const labelled = state.examples.filter((e) => e.label != null).length;
  const discarded = state.examples.filter((e) => e.discarded).length;
  $('progress').textContent = `${labelled + discarded} / ${state.examples.length} answered (${labelled} labelled, `
    + `${discarded} discarded)`;
  $('shown').textContent = `${state.view.length} shown` + (state.selected.size ? `, ${state.selected.size} selected` : '');
  const focused = grid.querySelector('.card.focused');
  if (focused) focused.scrollIntoView({ block: 'nearest' });
  if (!$('viewer').hidden) showViewer();
}

// Cards are kept per example and version, so a re-render moves existing nodes instead of reloading images.
const cards = new Map();

function card(e) {
  let cached = cards.get(e.id);
  if (!cached || cached.etag !== e.etag) {
    cached = { etag: e.etag, node: buildCard(e) };
    cards.set(e.id, cached);
  }
  const c = cached.node;
  c.classList.toggle('focused', e.id === state.focus);
  c.classList.toggle('selected', state.selected.has(e.id));
  return c;
}

function buildCard(e) {
  const classes = ['card'];
  if (e.label != null) classes.push('labelled');
  if (e.discarded) classes.push('discarded');
  const top = el('ul', { className: 'top' },
    ...e.top.map((p) => el('li', { textContent: `${p.label} ${p.score.toFixed(2)}` })));
  const answer = e.discarded ? `discarded by ${e.labelledBy}`
    : e.label != null ? `${e.label} (by ${e.labelledBy})` : 'unanswered';
  const c = el('div', { className: classes.join(' ') },
    el('img', { src: e.image, alt: e.id }),
    top,
    el('div', { className: 'meta', textContent: `${e.reason} · ${e.device}/${e.camera}` }),
    el('div', { className: 'meta', textContent: e.capturedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') }),
    el('div', { className: 'answer', textContent: answer }));
  c.dataset.id = e.id;
  c.addEventListener('click', (ev) => clickCard(e.id, ev));
  c.addEventListener('dblclick', () => { state.focus = e.id; showViewer(); });
  return c;
}

function renderLabels() {
  const focused = state.focus ? state.byId.get(state.focus) : null;
  const buttons = state.labels.map((label, i) => {
    const b = el('button', { className: 'label', textContent: (i < 9 ? `${i + 1} ` : '') + label });
    b.dataset.label = label;
    if (focused && focused.predicted === label) b.classList.add('predicted');
    b.addEventListener('click', () => run(() => answerTargets({ label })));
    return b;
  });
  $('labels').replaceChildren(...buttons);
}

function clickCard(id, ev) {
  if (ev.shiftKey && state.focus) {
    const ids = state.view.map((e) => e.id);
    const [a, b] = [ids.indexOf(state.anchor || state.focus), ids.indexOf(id)].sort((x, y) => x - y);
    for (let i = a; i <= b; i++) state.selected.add(ids[i]);
  } else if (ev.ctrlKey || ev.metaKey) {
    // As in file managers: the card in focus is part of a selection started with ctrl-click.
    if (!state.selected.size && state.focus && state.focus !== id) state.selected.add(state.focus);
    if (state.selected.has(id)) state.selected.delete(id); else state.selected.add(id);
    state.anchor = id;
  } else {
    state.selected.clear();
    state.anchor = id;
  }
  state.focus = id;
  render();
}

function targets() {
  if (state.selected.size) return state.view.filter((e) => state.selected.has(e.id)).map((e) => e.id);
  return state.focus ? [state.focus] : [];
}

function who() {
  const name = $('name').value.trim();
  if (!name) {
    say('Type your name first (top left): every answer records who gave it.', 'error');
    $('name').focus();
    return null;
  }
  localStorage.setItem('edgeloop-label-name', name);
  return name;
}

// answer is {label} / {discard: true} / {accept: true} (each target's own prediction); newLabel for a confirmed class.
async function answerTargets(answer, newLabel) {
  const ids = targets();
  if (!ids.length) { say('Nothing to answer: no example is shown.', 'error'); return; }
  const by = who();
  if (!by) return;
  const done = [];
  const problems = [];
  for (const id of ids) {
    const e = state.byId.get(id);
    const body = { by };
    if (answer.discard) body.discard = true;
    else if (answer.accept) {
      if (!e.predicted) { problems.push(`${id} has no prediction`); continue; }
      body.label = e.predicted;
    } else body.label = answer.label;
    if (newLabel) body.newLabel = true;
    const { status, data } = await api('POST', `/api/examples/${encode(id)}/answer`, body, { 'If-Match': e.etag });
    if (status === 200) {
      replace(data.example);
      done.push({ id, etag: data.example.etag });
    } else if (status === 409) {
      replace(data.current);
      problems.push(data.error);
    } else {
      problems.push(data.error);
    }
  }
  if (done.length) state.undo.push(done);
  const single = ids.length === 1 && !state.selected.size;
  state.selected.clear();
  if (single && done.length) advance();
  if (answer.label && !state.labels.includes(answer.label) && done.length) {
    state.labels = [...state.labels, answer.label].sort();
  }
  render();
  if (problems.length) say(problems.join(' · '), 'error');
  else say(`${done.length} answered` + (done.length === 1 ? `: ${describe(state.byId.get(done[0].id))}` : ''));
}

function describe(e) {
  return e.discarded ? `${e.id} discarded` : `${e.id} labelled "${e.label}"`;
}

function advance() {
  const ids = state.view.map((e) => e.id);
  const i = ids.indexOf(state.focus);
  const next = state.view.slice(i + 1).find((e) => !answered(e));
  if (next) state.focus = next.id;
  else if (i + 1 < ids.length) state.focus = ids[i + 1];
}

function replace(example) {
  state.byId.set(example.id, example);
  state.examples = state.examples.map((e) => (e.id === example.id ? example : e));
}

async function undo() {
  const last = state.undo.pop();
  if (!last) { say('Nothing to undo.', 'error'); return; }
  const problems = [];
  for (const { id, etag } of last) {
    const { status, data } = await api('POST', `/api/examples/${encode(id)}/undo`, undefined, { 'If-Match': etag });
    if (status === 200) {
      replace(data.example);
    } else {
      if (data.current) replace(data.current);
      problems.push(data.error);
    }
  }
  state.focus = last[0].id;
  render();
  if (problems.length) say(problems.join(' · '), 'error');
  else say(`Undone: ${last.length} answer(s)`);
}

function move(delta, extend) {
  const ids = state.view.map((e) => e.id);
  if (!ids.length) return;
  const i = Math.max(ids.indexOf(state.focus), 0);
  const j = Math.min(Math.max(i + delta, 0), ids.length - 1);
  if (extend) {
    state.selected.add(ids[i]);
    state.selected.add(ids[j]);
  }
  state.focus = ids[j];
  render();
}

function columns() {
  const cards = [...$('grid').children];
  if (cards.length < 2) return 1;
  const top = cards[0].offsetTop;
  const n = cards.findIndex((c) => c.offsetTop !== top);
  return n === -1 ? cards.length : n;
}

function showViewer() {
  const e = state.focus ? state.byId.get(state.focus) : null;
  if (!e) return;
  $('viewer-image').src = e.image;
  $('viewer-image').alt = e.id;
  const scores = e.top.map((p) => `${p.label} ${p.score.toFixed(3)}`).join(', ');
  $('viewer-details').textContent = `${e.id} · ${e.reason} · model ${e.model} · top: ${scores}`
    + (answered(e) ? ` · ${e.discarded ? 'discarded' : 'labelled ' + e.label} by ${e.labelledBy}` : '');
  $('viewer').hidden = false;
}

function newLabel() {
  const dialog = $('new-label-dialog');
  $('new-label-name').value = '';
  $('new-label-confirm').value = '';
  $('new-label-error').textContent = '';
  dialog.showModal();
  $('new-label-name').focus();
}

function confirmNewLabel(ev) {
  ev.preventDefault();
  const name = $('new-label-name').value;
  const again = $('new-label-confirm').value;
  let error = '';
  if (!LABEL_RULE.test(name)) {
    error = `"${name}" cannot be a class folder: 1-128 characters without / or \\ or control characters, not`
      + ' starting with "." or a space';
  } else if (name !== again) {
    error = 'The two names differ: type the same name twice.';
  } else if (state.labels.includes(name)) {
    error = `"${name}" is already a known label (key ${state.labels.indexOf(name) + 1}): no new class needed.`;
  }
  if (error) { $('new-label-error').textContent = error; return; }
  $('new-label-dialog').close();
  run(() => answerTargets({ label: name }, true));
}

async function exportTree(createFolders) {
  const { status, data } = await api('POST', '/api/export', { createFolders: createFolders || [] });
  if (status === 200) {
    say(`Exported ${data.total} new example(s) into ${data.into}; ${data.alreadyPresent} already there,`
      + ` ${data.unlabelled} not labelled`);
  } else if (status === 400 && data.missingFolders && !createFolders) {
    if (confirm(`These labels have no class folder in the training tree yet: ${data.missingFolders.join(', ')}.`
      + ' Create them as new classes and export?')) {
      await exportTree(data.missingFolders);
    } else say(data.error, 'error');
  } else say(data.error, 'error');
}

async function importCsv(file) {
  const by = who();
  if (!by) return;
  const text = await file.text();
  const { status, data } = await api('POST', `/api/csv?by=${encodeURIComponent(by)}`, text,
    { 'Content-Type': 'text/csv' });
  $('csv-file').value = '';
  if (status === 200) {
    say(`Imported: ${data.newAnswers} new, ${data.changed} changed, ${data.unchanged} unchanged,`
      + ` ${data.blank} without an answer`);
    await load();
  } else say(data.error, 'error');
}

function onKey(ev) {
  if ($('new-label-dialog').open) return;
  const t = ev.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement) {
    if (ev.key === 'Escape' || (ev.key === 'Enter' && t.id === 'name')) { t.blur(); ev.preventDefault(); }
    return;
  }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const viewerOpen = !$('viewer').hidden;
  const k = ev.key;
  let handled = true;
  if (/^[1-9]$/.test(k)) {
    const label = state.labels[Number(k) - 1];
    if (label) run(() => answerTargets({ label }));
    else say(`No label ${k}: ${state.labels.length} known.`, 'error');
  } else if (k === 'Enter') run(() => answerTargets({ accept: true }));
  else if (k === 'x') run(() => answerTargets({ discard: true }));
  else if (k === 'u') run(undo);
  else if (k === 'n') newLabel();
  else if (k === 'f') { if (viewerOpen) $('viewer').hidden = true; else showViewer(); }
  else if (k === 'Escape') {
    if (viewerOpen) $('viewer').hidden = true;
    else { state.selected.clear(); render(); }
  } else if (k === ' ') {
    if (state.focus) {
      if (state.selected.has(state.focus)) state.selected.delete(state.focus); else state.selected.add(state.focus);
      state.anchor = state.focus;
      render();
    }
  } else if (k === 'a') { state.view.forEach((e) => state.selected.add(e.id)); render(); }
  else if (k === 'ArrowRight') move(1, ev.shiftKey);
  else if (k === 'ArrowLeft') move(-1, ev.shiftKey);
  else if (k === 'ArrowDown') move(columns(), ev.shiftKey);
  else if (k === 'ArrowUp') move(-columns(), ev.shiftKey);
  else handled = false;
  if (handled) ev.preventDefault();
}

async function poll() {
  // Other people's answers appear without a reload; a write still carries the version this page saw.
  const { status, data } = await api('GET', '/api/state');
  if (status !== 200) return;
  const changed = data.examples.some((e) => !state.byId.has(e.id) || state.byId.get(e.id).etag !== e.etag)
    || data.examples.length !== state.examples.length || data.labels.join('\n') !== state.labels.join('\n');
  if (changed) {
    state.labels = data.labels;
      state.examples = data.examples;
    state.byId = new Map(data.examples.map((e) => [e.id, e]));
    render();
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('name').value = localStorage.getItem('edgeloop-label-name') || '';
  document.addEventListener('keydown', onKey);
  for (const id of ['filter-camera', 'filter-reason', 'filter-predicted', 'filter-unanswered', 'sort']) {
    $(id).addEventListener('change', () => { render(); $(id).blur(); });
  }
  $('new-label').addEventListener('click', newLabel);
  $('discard').addEventListener('click', () => run(() => answerTargets({ discard: true })));
  $('undo').addEventListener('click', () => run(undo));
  $('export').addEventListener('click', () => run(() => exportTree()));
  $('csv-file').addEventListener('change', (ev) => {
    const file = ev.target.files[0];
    if (file) run(() => importCsv(file));
  });
  $('new-label-form').addEventListener('submit', confirmNewLabel);
  $('new-label-cancel').addEventListener('click', (ev) => { ev.preventDefault(); $('new-label-dialog').close(); });
  $('viewer-close').addEventListener('click', () => { $('viewer').hidden = true; });
  run(load);
  // ?poll=SECONDS changes how often other people's answers are fetched (0: never; default 5).
  const pollSeconds = Number(new URLSearchParams(location.search).get('poll') ?? 5);
  if (pollSeconds > 0) setInterval(() => { if (!pending) run(poll); }, pollSeconds * 1000);
});

// The node table: search, type filter, sortable columns and pages, all kept in the URL so a reload or a shared
// link shows the same view.

import { api, h, keepTimesFresh, nodeLink, num, shortKey, timeEl, typeBadge } from './api.js';
import { connectLive } from './live.js';

const PAGE = 25;
const params = new URLSearchParams(location.search);
const state = {
  search: params.get('search') || '',
  type: params.get('type') || '',
  sort: params.get('sort') || 'last_seen',
  order: params.get('order') || 'desc',
  offset: Number(params.get('offset')) || 0,
};
const search = document.getElementById('search');
const type = document.getElementById('type');
const body = document.getElementById('nodes');
const info = document.getElementById('page-info');
const prev = document.getElementById('prev');
const next = document.getElementById('next');
const headers = document.querySelectorAll('th[data-sort]');
search.value = state.search;
type.value = state.type;
let total = 0;
let request = 0;

function remember() {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) {
    if (v && !(k === 'sort' && v === 'last_seen') && !(k === 'order' && v === 'desc') && !(k === 'offset' && v === 0)) {
      p.set(k, v);
    }
  }
  history.replaceState(null, '', p.toString() ? `?${p}` : location.pathname);
}

async function load() {
  const mine = ++request;
  const q = new URLSearchParams({ limit: PAGE, offset: state.offset, sort: state.sort, order: state.order });
  if (state.search) {
    q.set('search', state.search);
  }
  if (state.type) {
    q.set('adv_type', state.type);
  }
  body.parentElement.setAttribute('aria-busy', 'true');
  const page = await api(`/api/v1/nodes?${q}`);
  if (mine !== request) {
    return;
  }
  total = page.total;
  body.replaceChildren(...(page.items.length === 0
    ? [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, state.search ? 'No node matches.' : 'No nodes yet.'))]
    : page.items.map((n) => h('tr', { 'data-key': n.public_key },
      h('td', {}, nodeLink(n.public_key, n.name), h('span', { class: 'sub mono' }, shortKey(n.public_key))),
      h('td', {}, typeBadge(n.adv_type), n.is_observer ? h('span', { class: 'sub' }, 'observer') : null),
      h('td', {}, timeEl(n.last_seen)),
      h('td', { class: 'num hide-narrow' }, num(n.advert_count)),
      h('td', { class: 'num hide-narrow' }, num(n.observer_count))))));
  const first = total === 0 ? 0 : state.offset + 1;
  info.textContent = `${num(first)}–${num(state.offset + page.items.length)} of ${num(total)}`;
  prev.disabled = state.offset === 0;
  next.disabled = state.offset + PAGE >= total;
  headers.forEach((th) => {
    if (th.dataset.sort === state.sort) {
      th.setAttribute('aria-sort', state.order === 'asc' ? 'ascending' : 'descending');
    } else {
      th.removeAttribute('aria-sort');
    }
  });
  body.parentElement.setAttribute('aria-busy', 'false');
  remember();
  document.body.dataset.nodesLoaded = 'true';
}

let typing = null;
search.addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => {
    state.search = search.value.trim();
    state.offset = 0;
    load();
  }, 250);
});
document.getElementById('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  state.search = search.value.trim();
  state.offset = 0;
  load();
});
type.addEventListener('change', () => {
  state.type = type.value;
  state.offset = 0;
  load();
});
headers.forEach((th) => {
  th.querySelector('button').addEventListener('click', () => {
    const key = th.dataset.sort;
    if (state.sort === key) {
      state.order = state.order === 'asc' ? 'desc' : 'asc';
    } else {
      state.sort = key;
      state.order = key === 'name' || key === 'adv_type' ? 'asc' : 'desc';
    }
    state.offset = 0;
    load();
  });
});
prev.addEventListener('click', () => {
  state.offset = Math.max(0, state.offset - PAGE);
  load();
});
next.addEventListener('click', () => {
  state.offset += PAGE;
  load();
});

load();
keepTimesFresh();
let pending = null;
const later = () => {
  // New adverts may reorder the first page: refresh it, at most every few seconds.
  if (state.offset === 0 && !pending) {
    pending = setTimeout(() => {
      pending = null;
      load();
    }, 3000);
  }
};
connectLive({ advert: later, reset: load });

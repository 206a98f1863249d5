// Channel and contact messages, newest first: channel and kind filters, full-text search, older pages on demand,
// and new messages at the top as they are heard.

import { api, channelLabel, fixed, h, keepTimesFresh, nodeLink, num, shortKey, timeEl } from './api.js';
import { connectLive } from './live.js';

const PAGE = 50;
const params = new URLSearchParams(location.search);
const state = { search: params.get('search') || '', channel: params.get('channel') || '', kind: params.get('kind') || '' };
const list = document.getElementById('messages');
const info = document.getElementById('messages-info');
const older = document.getElementById('older');
const search = document.getElementById('search');
const channel = document.getElementById('channel');
const kind = document.getElementById('kind');
search.value = state.search;
kind.value = state.kind;
let offset = 0;
const observerNames = new Map();
let total = 0;
let request = 0;
const seen = new Set();

function item(m, fresh) {
  const where = m.message_type === 'channel'
    ? h('span', { class: 'badge channel' }, channelLabel(m.channel_name, m.channel_idx))
    : h('span', { class: 'badge contact' }, 'direct');
  const from = m.sender_name ? h('span', { class: 'sender' }, m.sender_name)
    : m.pubkey_prefix ? h('span', { class: 'sender mono' }, `${m.pubkey_prefix}…`) : null;
  const heardName = m.observers && m.observers[0] ? m.observers[0].observer_name : observerNames.get(m.received_by);
  const heard = m.received_by ? ['heard by ', nodeLink(m.received_by, heardName || shortKey(m.received_by))] : [];
  return h('li', { class: fresh ? 'new' : null, 'data-hash': m.packet_hash },
    h('div', { class: 'meta' }, where, from, timeEl(m.received_at),
      h('span', {}, ...heard, m.snr !== null && m.snr !== undefined ? ` · SNR ${fixed(m.snr)} dB` : ''),
      m.reception_count > 1 ? h('span', {}, `${num(m.reception_count)} observers`) : null),
    h('p', { class: 'text' }, m.decrypted ? (m.text || '') : h('em', {}, 'encrypted, no key for it')));
}

function query() {
  const q = new URLSearchParams({ limit: PAGE, offset });
  if (state.search) {
    q.set('search', state.search);
  }
  if (state.channel) {
    q.set('channel_idx', state.channel);
    q.set('message_type', 'channel');
  } else if (state.kind) {
    q.set('message_type', state.kind);
  }
  return q;
}

function remember() {
  const p = new URLSearchParams();
  Object.entries(state).forEach(([k, v]) => v && p.set(k, v));
  history.replaceState(null, '', p.toString() ? `?${p}` : location.pathname);
}

async function load(more) {
  const mine = ++request;
  offset = more ? offset + PAGE : 0;
  info.textContent = 'Loading…';
  let page;
  try {
    page = await api(`/api/v1/messages?${query()}`);
  } catch (e) {
    info.textContent = e.message;
    return;
  }
  if (mine !== request) {
    return;
  }
  total = page.total;
  if (!more) {
    seen.clear();
    list.replaceChildren();
  }
  for (const m of page.items) {
    if (!seen.has(m.packet_hash)) {
      seen.add(m.packet_hash);
      list.append(item(m, false));
    }
  }
  info.textContent = total === 0 ? 'No messages match.' : `${num(total)} messages`;
  older.hidden = offset + PAGE >= total;
  remember();
  document.body.dataset.messagesLoaded = 'true';
}

function matches(m) {
  if (state.search) {
    return false;
  }
  if (state.channel) {
    return m.message_type === 'channel' && String(m.channel_idx) === state.channel;
  }
  return !state.kind || m.message_type === state.kind;
}

async function channels() {
  const [stats, observers] = await Promise.all([api('/api/v1/dashboard/stats'),
    api('/api/v1/nodes?observer=true&limit=500')]);
  observers.items.forEach((o) => observerNames.set(o.public_key, o.name));
  for (const c of stats.channels) {
    channel.append(h('option', { value: String(c.channel_idx) }, `${channelLabel(c.channel_name, c.channel_idx)} (${num(c.count)})`));
  }
  channel.value = state.channel;
}

let typing = null;
search.addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => {
    state.search = search.value.trim();
    load(false);
  }, 300);
});
document.getElementById('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  state.search = search.value.trim();
  load(false);
});
channel.addEventListener('change', () => {
  state.channel = channel.value;
  if (state.channel) {
    state.kind = '';
    kind.value = '';
  }
  load(false);
});
kind.addEventListener('change', () => {
  state.kind = kind.value;
  if (state.kind === 'contact') {
    state.channel = '';
    channel.value = '';
  }
  load(false);
});
older.addEventListener('click', () => load(true));

channels().then(() => load(false));
keepTimesFresh();
connectLive({
  message(m) {
    if (matches(m) && !seen.has(m.packet_hash)) {
      seen.add(m.packet_hash);
      total += 1;
      list.prepend(item(m, true));
      info.textContent = `${num(total)} messages`;
    }
  },
  reset: () => load(false),
});

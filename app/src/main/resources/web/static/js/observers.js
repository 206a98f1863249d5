// Observers: status, when each was last heard, and what it uploaded in the last hour.

import { api, h, keepTimesFresh, nodeLink, num, shortKey, timeEl } from './api.js';
import { connectLive } from './live.js';

const body = document.getElementById('observers');
const info = document.getElementById('observers-info');

async function load() {
  const page = await api('/api/v1/observers?limit=500&sort=name');
  body.replaceChildren(...(page.items.length === 0
    ? [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No observer has reported yet.'))]
    : page.items.map((o) => h('tr', {},
      h('td', {}, nodeLink(o.public_key, o.name), h('span', { class: 'sub mono' }, shortKey(o.public_key))),
      h('td', {}, h('span', { class: `badge ${o.online ? 'online' : 'offline'}` }, o.online ? 'online' : 'offline'),
        o.status && o.status !== 'online' && o.status !== 'offline' ? h('span', { class: 'sub' }, o.status) : null),
      h('td', {}, timeEl(o.last_seen)),
      h('td', { class: 'num' }, num(o.receptions_last_hour)),
      h('td', {}, o.model || '–'),
      h('td', {}, o.firmware_version || '–')))));
  const online = page.items.filter((o) => o.online).length;
  info.textContent = `${num(online)} of ${num(page.total)} observers online`;
  document.body.dataset.observersLoaded = 'true';
}

load();
setInterval(load, 60000);
keepTimesFresh();
let pending = null;
connectLive({
  node(n) {
    if (n.change === 'status' && !pending) {
      pending = setTimeout(() => {
        pending = null;
        load();
      }, 2000);
    }
  },
  reset: load,
});

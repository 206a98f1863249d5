// One node: identity, position, who hears it with what signal, its adverts, telemetry and tags; live.

import { api, ApiError, fixed, fullTime, h, keepTimesFresh, nodeLink, num, timeEl, typeBadge } from './api.js';
import { connectLive } from './live.js';
import { createMap, icon, L } from './mapview.js';

const key = decodeURIComponent(location.pathname.split('/').pop()).toLowerCase();
const name = document.getElementById('node-name');
let map = null;
let marker = null;

function fact(label, value) {
  return [h('dt', {}, label), h('dd', {}, value === null || value === undefined || value === '' ? '–' : value)];
}

function render(n) {
  document.title = `${n.name || 'Node'} · MeshHub`;
  name.textContent = n.name || 'Unnamed node';
  document.getElementById('node-key').textContent = n.public_key;
  const status = n.observer_status;
  document.getElementById('identity').replaceChildren(
    ...fact('Type', typeBadge(n.adv_type)),
    ...fact('Observer', n.is_observer ? 'yes' : 'no'),
    ...fact('First seen', n.first_seen ? fullTime(n.first_seen) : null),
    ...fact('Last seen', timeEl(n.last_seen)),
    ...fact('Last advert', n.last_advert_at ? fullTime(n.last_advert_at) : null),
    ...fact('Adverts', num(n.advert_count)),
    ...fact('Receptions', num(n.reception_count)),
    ...(status ? [
      ...fact('Status', h('span', { class: `badge ${status.status || 'unknown'}` }, status.status || 'unknown')),
      ...fact('Model', status.model),
      ...fact('Firmware', status.firmware_version),
      ...fact('Radio', status.radio),
    ] : []));
  const hasPosition = n.lat !== null && n.lon !== null && !(n.lat === 0 && n.lon === 0);
  document.getElementById('no-position').hidden = hasPosition;
  const mapEl = document.getElementById('node-map');
  mapEl.hidden = !hasPosition;
  const onMap = document.getElementById('on-map');
  onMap.hidden = !hasPosition;
  onMap.href = `/map?node=${n.public_key}`;
  if (hasPosition) {
    if (!map) {
      map = createMap(mapEl, null, { scrollWheelZoom: false });
    }
    map.setView([n.lat, n.lon], 12);
    if (marker) {
      marker.setLatLng([n.lat, n.lon]);
    } else {
      marker = L.marker([n.lat, n.lon], { icon: icon(n), title: n.name || n.public_key, alt: n.name || 'node' })
        .addTo(map);
    }
  }
  document.getElementById('heard-by').replaceChildren(...(n.heard_by.length === 0
    ? [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No observer has heard its adverts yet.'))]
    : n.heard_by.map((o) => h('tr', {},
      h('td', {}, nodeLink(o.observer, o.observer_name)),
      h('td', {}, timeEl(o.last_heard)),
      h('td', { class: 'num' }, fixed(o.last_snr, 1)),
      h('td', { class: 'num' }, o.last_rssi ?? '–'),
      h('td', { class: 'num' }, o.last_path_len ?? '–'),
      h('td', { class: 'num' }, num(o.reception_count))))));
  document.getElementById('adverts').replaceChildren(...(n.recent_adverts.length === 0
    ? [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No adverts.'))]
    : n.recent_adverts.map((a) => h('tr', {},
      h('td', {}, timeEl(a.received_at)),
      h('td', {}, a.name || '–'),
      h('td', {}, typeBadge(a.adv_type)),
      h('td', {}, a.signature_valid ? 'valid' : h('strong', {}, 'invalid')),
      h('td', { class: 'num' }, num(a.reception_count))))));
  document.getElementById('telemetry').replaceChildren(...(n.telemetry.length === 0
    ? [h('li', { class: 'muted' }, 'No telemetry.')]
    : n.telemetry.map((t) => h('li', {}, timeEl(t.received_at), ' ', h('code', {}, JSON.stringify(t.data))))));
  const tags = document.getElementById('tags');
  tags.replaceChildren(...(n.tags.length === 0 ? [h('dd', { class: 'muted' }, 'No tags.')]
    : n.tags.flatMap((t) => fact(t.key, t.value))));
  document.body.dataset.nodeLoaded = 'true';
}

async function load() {
  try {
    render(await api(`/api/v1/nodes/${encodeURIComponent(key)}`));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
      name.textContent = e.status === 404 ? 'Node not heard' : 'Not a node key';
      document.getElementById('node-key').textContent = e.message;
      document.body.dataset.nodeLoaded = 'true';
      return;
    }
    throw e;
  }
}

load();
keepTimesFresh();
let pending = null;
const refresh = (event) => {
  if (event.public_key === key && !pending) {
    pending = setTimeout(() => {
      pending = null;
      load();
    }, 1000);
  }
};
connectLive({ advert: refresh, node: refresh, reset: load });

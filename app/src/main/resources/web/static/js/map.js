// The map: every node with a position, by type, clustered; new adverts move or add markers live.

import { api, h, num, NODE_TYPES, typeClass } from './api.js';
import { connectLive } from './live.js';
import { createMap, icon, L, popup } from './mapview.js';

const element = document.getElementById('map');
const count = document.getElementById('map-count');
const map = createMap(element, document.getElementById('tile-notice'));
map.setView([20, 0], 2);
const clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50, chunkedLoading: true });
map.addLayer(clusters);
const markers = new Map();
const shown = new Set([...NODE_TYPES, 'other']);
const legend = document.querySelector('.legend');

for (const type of [...NODE_TYPES, 'other']) {
  const box = h('input', { type: 'checkbox', checked: true, 'data-type': type, id: `show-${type}` });
  box.addEventListener('change', () => {
    if (box.checked) {
      shown.add(type);
    } else {
      shown.delete(type);
    }
    redraw();
  });
  legend.append(h('label', { for: `show-${type}` }, box, h('span', { class: `swatch ${type}`, 'aria-hidden': 'true' }),
    type === 'other' ? 'Other' : type[0].toUpperCase() + type.slice(1)));
}

function place(node) {
  let entry = markers.get(node.public_key);
  if (!entry) {
    const marker = L.marker([node.lat, node.lon], { icon: icon(node), title: node.name || node.public_key,
      alt: node.name || node.public_key, keyboard: true });
    entry = { marker, node };
    markers.set(node.public_key, entry);
  } else {
    entry.node = { ...entry.node, ...node };
    entry.marker.setLatLng([node.lat, node.lon]);
    entry.marker.setIcon(icon(entry.node));
  }
  entry.marker.bindPopup(() => popup(entry.node));
  return entry;
}

function redraw() {
  clusters.clearLayers();
  const visible = [...markers.values()].filter((e) => shown.has(typeClass(e.node.adv_type)));
  clusters.addLayers(visible.map((e) => e.marker));
  count.textContent = `${num(visible.length)} of ${num(markers.size)} nodes with a position`;
  element.dataset.markers = String(visible.length);
}

async function load() {
  const page = await api('/api/v1/dashboard/map');
  markers.clear();
  page.items.forEach(place);
  redraw();
  document.body.dataset.mapLoaded = 'true';
  const focus = markers.get(new URLSearchParams(location.search).get('node') || '');
  if (focus) {
    // /map?node=<public key>: zoom to that node and open its popup.
    clusters.zoomToShowLayer(focus.marker, () => focus.marker.openPopup());
  } else if (page.items.length > 0) {
    map.fitBounds(L.latLngBounds(page.items.map((n) => [n.lat, n.lon])).pad(0.1), { maxZoom: 13 });
  }
}

load();
connectLive({
  advert(a) {
    if (a.signature_valid && a.lat !== null && a.lon !== null && !(a.lat === 0 && a.lon === 0)) {
      const entry = place({ public_key: a.public_key, name: a.name, adv_type: a.adv_type, lat: a.lat, lon: a.lon,
        last_seen: a.received_at });
      if (!clusters.hasLayer(entry.marker) && shown.has(typeClass(a.adv_type))) {
        clusters.addLayer(entry.marker);
        count.textContent = `${num(clusters.getLayers().length)} of ${num(markers.size)} nodes with a position`;
      }
    }
  },
  reset: load,
});

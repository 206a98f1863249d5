// Leaflet maps for the map and node pages: tiles from MAP_TILE_URL when configured, and still a usable map when
// they are off or cannot load (a plain background with a latitude/longitude grid, markers as usual).

import { ago, h, shortKey, typeClass } from './api.js';

const L = window.L;

function meta(name) {
  const el = document.querySelector(`meta[name="${name}"]`);
  return el ? el.content : '';
}

/** A map in `element`, with tiles or the offline grid; `notice` (optional) tells when tiles are off or failing. */
export function createMap(element, notice, options = {}) {
  const map = L.map(element, { worldCopyJump: true, zoomControl: true, minZoom: 2, maxZoom: 18, ...options });
  const url = meta('meshhub-tile-url');
  addGraticule(map);
  if (url) {
    let failures = 0;
    const tiles = L.tileLayer(url, { maxZoom: 18, attribution: meta('meshhub-tile-attribution') });
    tiles.on('tileerror', () => {
      failures += 1;
      if (failures === 1) {
        element.classList.add('no-tiles');
        if (notice) {
          notice.textContent = 'Map tiles could not be loaded: nodes are shown on a plain grid.';
          notice.hidden = false;
        }
      }
    });
    tiles.addTo(map);
  } else {
    element.classList.add('no-tiles');
    if (notice) {
      notice.textContent = 'Map tiles are off (MAP_TILE_URL=none): nodes are shown on a plain grid.';
      notice.hidden = false;
    }
  }
  return map;
}

/** Latitude and longitude lines, finer as one zooms in, so the map has a frame of reference without tiles. */
function addGraticule(map) {
  const layer = L.layerGroup().addTo(map);
  const draw = () => {
    layer.clearLayers();
    const zoom = map.getZoom();
    const step = zoom >= 11 ? 0.05 : zoom >= 9 ? 0.2 : zoom >= 7 ? 1 : zoom >= 5 ? 5 : zoom >= 3 ? 10 : 30;
    const b = map.getBounds().pad(0.5);
    const south = Math.max(-85, Math.floor(b.getSouth() / step) * step);
    const north = Math.min(85, Math.ceil(b.getNorth() / step) * step);
    const west = Math.floor(b.getWest() / step) * step;
    const east = Math.ceil(b.getEast() / step) * step;
    const style = { color: getComputedStyle(document.documentElement).getPropertyValue('--border').trim(),
      weight: 1, interactive: false };
    let lines = 0;
    for (let lat = south; lat <= north && lines < 200; lat += step, lines++) {
      L.polyline([[lat, west], [lat, east]], style).addTo(layer);
    }
    for (let lon = west; lon <= east && lines < 400; lon += step, lines++) {
      L.polyline([[south, lon], [north, lon]], style).addTo(layer);
    }
  };
  map.on('moveend zoomend', draw);
  map.whenReady(draw);
}

const LETTERS = { chat: 'C', repeater: 'R', room: 'M', sensor: 'S', other: '?' };

/** A marker icon by node type; observers get a ring. */
export function icon(node) {
  const type = typeClass(node.adv_type);
  return L.divIcon({
    className: '',
    html: `<span class="pin ${type}${node.is_observer ? ' observer' : ''}">${LETTERS[type]}</span>`,
    iconSize: [26, 26],
    iconAnchor: [13, 13],
    popupAnchor: [0, -12],
  });
}

export function popup(node) {
  return h('div', {},
    h('strong', {}, node.name || 'Unnamed node'),
    h('div', { class: 'key' }, shortKey(node.public_key)),
    h('div', {}, `${node.adv_type || 'unknown type'} · last seen ${ago(node.last_seen || node.received_at)}`),
    h('a', { href: `/nodes/${node.public_key}` }, 'Node page →'));
}

export { L };

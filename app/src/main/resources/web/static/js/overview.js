// The overview: figures from the counters (one cheap request first), activity charts, latest traffic live.

import uPlot from 'uplot';
import { api, channelLabel, h, keepTimesFresh, nodeLink, num, timeEl, typeBadge } from './api.js';
import { connectLive } from './live.js';

const cards = document.getElementById('cards');
const latest = document.getElementById('latest');
const channels = document.getElementById('channels');
let stats = null;
let range = 1;
let charts = [];
const LATEST_MAX = 30;

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function showStats(s) {
  stats = s;
  cards.querySelectorAll('[data-stat]').forEach((el) => {
    el.textContent = num(s[el.dataset.stat]);
  });
  cards.setAttribute('aria-busy', 'false');
  channels.replaceChildren(...(s.channels.length === 0
    ? [h('tr', {}, h('td', { colspan: 2, class: 'muted' }, 'No channel messages yet'))]
    : s.channels.map((c) => h('tr', {},
      h('td', {}, h('a', { href: `/messages?channel=${c.channel_idx}` }, channelLabel(c.channel_name, c.channel_idx))),
      h('td', { class: 'num' }, num(c.count))))));
  if (latest.querySelector('.empty')) {
    const items = s.recent_advertisements.map((a) => advertItem(a));
    if (items.length > 0) {
      latest.replaceChildren(...items);
    }
  }
  if (!document.body.dataset.statsLoaded) {
    // When the first figures were shown, in ms since the navigation began (read by the overview benchmark).
    document.body.dataset.firstDataMs = String(Math.round(performance.now()));
  }
  document.body.dataset.statsLoaded = 'true';
}

function bump(stat, by = 1) {
  if (!stats) {
    return;
  }
  stats[stat] = (stats[stat] || 0) + by;
  cards.querySelectorAll(`[data-stat="${stat}"]`).forEach((el) => {
    el.textContent = num(stats[stat]);
  });
}

function advertItem(a, fresh) {
  return h('li', { class: fresh ? 'new' : null },
    h('span', { class: 'badge advert' }, 'advert'),
    h('span', { class: 'what' }, nodeLink(a.public_key, a.name || a.node_name), ' ', typeBadge(a.adv_type)),
    timeEl(a.received_at));
}

function messageItem(m) {
  const where = m.message_type === 'channel' ? channelLabel(m.channel_name, m.channel_idx) : 'direct';
  return h('li', { class: 'new' },
    h('span', { class: `badge ${m.message_type}` }, where),
    h('span', { class: 'what' }, m.sender_name ? h('strong', {}, `${m.sender_name}: `) : null,
      m.decrypted ? (m.text || '') : h('em', {}, 'encrypted')),
    timeEl(m.received_at));
}

function prepend(item) {
  latest.querySelector('.empty')?.remove();
  latest.prepend(item);
  while (latest.children.length > LATEST_MAX) {
    latest.lastElementChild.remove();
  }
}

const bars = uPlot.paths.bars({ size: [0.7, 40], gap: 1 });

function chart(el, series, data, step) {
  const width = Math.max(260, el.clientWidth);
  const axis = { stroke: css('--muted'), grid: { stroke: css('--border'), width: 1 }, ticks: { stroke: css('--border') } };
  return new uPlot({
    width,
    height: 220,
    series: [{}, ...series],
    axes: [axis, { ...axis, size: 64 }],
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    // Half a bucket of room on each side, so the first and last bars are whole.
    scales: { x: { time: true, range: (u, min, max) => [min - step / 2, max + step / 2] } },
  }, data, el);
}

async function loadActivity() {
  const bucket = range <= 7 ? 'hour' : 'day';
  const activity = await api(`/api/v1/dashboard/activity?days=${range}&bucket=${bucket}`);
  document.querySelectorAll('.per').forEach((el) => {
    el.textContent = activity.bucket;
  });
  const xs = activity.items.map((b) => Date.parse(b.start) / 1000);
  const step = activity.bucket === 'day' ? 86400 : 3600;
  charts.forEach((c) => c.destroy());
  const traffic = document.getElementById('chart-traffic');
  const receptions = document.getElementById('chart-receptions');
  charts = [
    chart(traffic, [
      // Messages first and adverts over them: there are usually fewer adverts.
      { label: 'Channel messages', stroke: css('--chat'), width: 1, fill: `${css('--chat')}88`, paths: bars,
        points: { show: false } },
      { label: 'Adverts', stroke: css('--repeater'), width: 1, fill: `${css('--repeater')}dd`, paths: bars,
        points: { show: false } },
    ], [xs, activity.items.map((b) => b.channel_messages), activity.items.map((b) => b.adverts)], step),
    chart(receptions, [
      { label: 'Receptions', stroke: css('--room'), width: 1, fill: `${css('--room')}cc`, paths: bars,
        points: { show: false } },
    ], [xs, activity.items.map((b) => b.receptions)], step),
  ];
  document.body.dataset.activityLoaded = 'true';
}

function resizeCharts() {
  for (const c of charts) {
    c.setSize({ width: Math.max(260, c.root.parentElement.clientWidth), height: 220 });
  }
}

document.querySelectorAll('[data-range]').forEach((button) => {
  button.addEventListener('click', () => {
    range = Number(button.dataset.range);
    document.querySelectorAll('[data-range]').forEach((b) => b.setAttribute('aria-pressed', String(b === button)));
    loadActivity();
  });
});

async function refresh() {
  showStats(await api('/api/v1/dashboard/stats'));
}

refresh().then(loadActivity);
let resizeTimer = null;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(resizeCharts, 150);
});
setInterval(refresh, 60000);
keepTimesFresh();
connectLive({
  message(m) {
    bump('messages_today');
    bump('messages_7d');
    prepend(messageItem(m));
  },
  advert(a) {
    bump('advertisements_24h');
    bump('advertisements_7d');
    prepend(advertItem(a, true));
  },
  reset() {
    refresh().then(loadActivity);
  },
});

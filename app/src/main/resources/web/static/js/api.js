// Talking to MeshHub's API: the read key (asked for once, kept in this tab's session storage, sent as a bearer
// token and never put in a URL), JSON requests, and small formatting helpers shared by the pages.

const KEY_ITEM = 'meshhub.readKey';
let keyPrompt = null;

export function readKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

export function authHeaders() {
  const key = readKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** Shows the key dialog until a key is entered; resolves once it is stored. One dialog for all callers. */
export function askForKey(wrong) {
  if (keyPrompt) {
    return keyPrompt;
  }
  const dialog = document.getElementById('key-dialog');
  const form = document.getElementById('key-form');
  const input = document.getElementById('key-input');
  const reason = document.getElementById('key-reason');
  reason.classList.toggle('error', Boolean(wrong));
  reason.textContent = wrong
    ? 'That key was not accepted. Enter the read key (API_READ_KEY) of this MeshHub.'
    : 'This MeshHub asks for its read key (API_READ_KEY) before it shows any data.';
  input.value = '';
  keyPrompt = new Promise((resolve) => {
    const done = (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) {
        input.focus();
        return;
      }
      sessionStorage.setItem(KEY_ITEM, key);
      form.removeEventListener('submit', done);
      dialog.removeEventListener('cancel', keep);
      dialog.close();
      keyPrompt = null;
      resolve();
    };
    const keep = (event) => event.preventDefault();
    form.addEventListener('submit', done);
    dialog.addEventListener('cancel', keep);
  });
  dialog.showModal();
  input.focus();
  return keyPrompt;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.detail ? body.detail : `HTTP ${status}`);
    this.status = status;
  }
}

/** Whether this MeshHub needs a read key (the page says so), so that it is asked for before the first request. */
function keyRequired() {
  const meta = document.querySelector('meta[name="meshhub-read-key"]');
  return Boolean(meta && meta.content === 'required');
}

/** Resolves once a key is stored, when one is needed; at once otherwise. */
export async function ensureKey() {
  if (keyRequired() && !readKey()) {
    await askForKey(false);
  }
}

/** GET a JSON document from the API; asks for the read key (again) on 401 and retries. */
export async function api(path, options = {}) {
  await ensureKey();
  for (;;) {
    const response = await fetch(path, { headers: { Accept: 'application/json', ...authHeaders() }, ...options });
    if (response.status === 401) {
      const hadKey = Boolean(readKey());
      sessionStorage.removeItem(KEY_ITEM);
      await askForKey(hadKey);
      continue;
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, body);
    }
    return body;
  }
}

// ---- formatting -------------------------------------------------------------------------------------------------

const numberFormat = new Intl.NumberFormat();

export function num(n) {
  return n === null || n === undefined ? '–' : numberFormat.format(n);
}

export function fixed(n, digits = 1) {
  return n === null || n === undefined ? '–' : Number(n).toFixed(digits);
}

/** "3 min ago", "2 h ago", or a date for older times. */
export function ago(iso) {
  if (!iso) {
    return 'never';
  }
  const t = new Date(iso);
  const seconds = Math.round((Date.now() - t.getTime()) / 1000);
  if (seconds < 45) {
    return 'just now';
  }
  if (seconds < 3600) {
    return `${Math.round(seconds / 60)} min ago`;
  }
  if (seconds < 86400) {
    return `${Math.round(seconds / 3600)} h ago`;
  }
  if (seconds < 7 * 86400) {
    return `${Math.round(seconds / 86400)} d ago`;
  }
  return t.toLocaleDateString();
}

export function fullTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** A <time> element showing a relative time, with the exact one as its title. */
export function timeEl(iso) {
  const el = document.createElement('time');
  if (iso) {
    el.dateTime = iso;
    el.title = fullTime(iso);
  }
  el.textContent = ago(iso);
  return el;
}

/** Creates an element with attributes and children (strings become text, never HTML). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'class') {
      el.className = value;
    } else if (name === 'text') {
      el.textContent = value;
    } else {
      el.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A channel's name, or its hash byte when its key is not configured. */
export function channelLabel(name, idx) {
  if (name) {
    return name;
  }
  return idx === null || idx === undefined ? 'channel' : `channel ${Number(idx).toString(16).padStart(2, '0')}`;
}

export const NODE_TYPES = ['chat', 'repeater', 'room', 'sensor'];

export function typeClass(type) {
  return NODE_TYPES.includes(type) ? type : 'other';
}

export function typeBadge(type) {
  return h('span', { class: `badge ${typeClass(type)}` }, type || 'unknown');
}

export function shortKey(key) {
  return key ? `${key.slice(0, 8)}…` : '';
}

export function nodeLink(key, name) {
  return h('a', { href: `/nodes/${key}` }, name || shortKey(key));
}

/** Updates relative times every 30 s. */
export function keepTimesFresh() {
  setInterval(() => {
    document.querySelectorAll('time[datetime]').forEach((el) => {
      el.textContent = ago(el.dateTime);
    });
  }, 30000);
}

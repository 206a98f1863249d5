// The live stream (GET /api/v1/stream, Server-Sent Events) read with fetch, so that the read key travels in the
// Authorization header (EventSource cannot send headers, and a key in the URL would end up in logs). Reconnects
// with back-off and resumes with Last-Event-ID, so nothing is missed across a dropped connection.

import { askForKey, authHeaders, ensureKey, readKey } from './api.js';

const status = () => document.getElementById('live-status');

function show(state, text) {
  const el = status();
  if (el) {
    el.dataset.state = state;
    el.textContent = text;
  }
}

/**
 * Streams events to handlers by event type ({message, advert, node, reset, ready}); `any` gets every event.
 * Returns a function that stops the stream.
 */
export function connectLive(handlers) {
  let lastEventId = null;
  let delay = 1000;
  let stopped = false;
  let controller = null;

  const dispatch = (type, id, data) => {
    if (id) {
      lastEventId = id;
    }
    let body = {};
    try {
      body = data ? JSON.parse(data) : {};
    } catch (e) {
      return;
    }
    if (type === 'ready' || type === 'reset') {
      show('live', 'Live');
    }
    const handler = handlers[type];
    if (handler) {
      handler(body);
    }
    if (handlers.any) {
      handlers.any(type, body);
    }
  };

  const run = async () => {
    await ensureKey();
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = { Accept: 'text/event-stream', ...authHeaders() };
        if (lastEventId) {
          headers['Last-Event-ID'] = lastEventId;
        }
        const response = await fetch('/api/v1/stream', { headers, cache: 'no-store', signal: controller.signal });
        if (response.status === 401) {
          const hadKey = Boolean(readKey());
          sessionStorage.removeItem('meshhub.readKey');
          show('offline', 'Key needed');
          await askForKey(hadKey);
          continue;
        }
        if (!response.ok || !response.body) {
          throw new Error(`stream answered ${response.status}`);
        }
        if (lastEventId) {
          show('live', 'Live');
        }
        delay = 1000;
        await read(response.body, dispatch);
      } catch (e) {
        if (stopped) {
          return;
        }
      }
      if (stopped) {
        return;
      }
      show('offline', 'Reconnecting…');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15000);
    }
  };

  const stop = () => {
    stopped = true;
    if (controller) {
      controller.abort();
    }
  };
  // Leaving the page ends the stream at once, so its connection is not left to the browser to close.
  window.addEventListener('pagehide', stop);
  run();
  return stop;
}

/** Parses an event stream: fields up to a blank line make one event; lines starting with ':' are comments. */
async function read(body, dispatch) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let type = 'message';
  let id = null;
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0 || id !== null) {
          dispatch(type, id, data.join('\n'));
        }
        type = 'message';
        id = null;
        data = [];
        continue;
      }
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let text = colon < 0 ? '' : line.slice(colon + 1);
      if (text.startsWith(' ')) {
        text = text.slice(1);
      }
      if (field === 'event') {
        type = text;
      } else if (field === 'data') {
        data.push(text);
      } else if (field === 'id') {
        id = text;
      }
    }
  }
}

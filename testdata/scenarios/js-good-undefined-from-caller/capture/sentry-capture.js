'use strict';

// Starts @sentry/node as production runs it, with a transport that writes
// the first error event it would have sent to dispatch.json (as the
// client_payload.event of a repository_dispatch, as a relay sends it)
// instead of sending it. The DSN's host is never contacted.
//
// @sentry/node is not a dependency of any scenario: install it outside the
// repository and point NODE_PATH at it (see README.md).

const fs = require('node:fs');
const Sentry = require('@sentry/node');

function parseEnvelope(body) {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const lines = text.split('\n');
  const items = [];
  for (let i = 1; i + 1 < lines.length; i += 2) {
    items.push({ header: JSON.parse(lines[i]), payload: JSON.parse(lines[i + 1]) });
  }
  return items;
}

function initCapture({ out, release, serverName = 'web-1' }) {
  let written = false;
  const transport = (options) =>
    Sentry.createTransport(options, async (request) => {
      for (const item of parseEnvelope(request.body)) {
        if (written || item.header.type !== 'event' || !item.payload.exception) continue;
        const dispatch = { action: 'sentry-issue', client_payload: { event: item.payload } };
        fs.writeFileSync(out, JSON.stringify(dispatch, null, 2) + '\n');
        written = true;
        process.stderr.write(`capture: wrote ${out}\n`);
      }
      return { statusCode: 200 };
    });
  Sentry.init({
    dsn: 'https://public@example.invalid/1',
    environment: 'production',
    release,
    serverName,
    transport,
  });
  return Sentry;
}

module.exports = { initCapture };

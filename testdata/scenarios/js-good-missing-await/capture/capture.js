'use strict';

// Makes ../dispatch.json: loads @sentry/node first, as `node --require
// ./instrument.js src/main.js` would, then runs the mailer's batch on the
// sign-up that failed in production. welcomeMail uses the user's promise
// without awaiting it; the rejection of main() is never handled, and the
// SDK's onUnhandledRejection integration captures it.
//
// Run: NODE_PATH=/path/to/node_modules node capture.js

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { initCapture } = require('../../js-good-undefined-from-caller/capture/sentry-capture');

initCapture({ out: path.join(__dirname, '..', 'dispatch.json'), release: 'signup-mailer@0.9.2', serverName: 'worker-2' });

const batch = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mailer-')), 'batch-3141.json');
fs.writeFileSync(batch, JSON.stringify({
  users: [{ id: 3141, name: 'Grace', email: 'Grace.Hopper@Example.com' }],
  jobs: [{ userId: 3141 }],
}));
require('../repo/src/main').main(batch);

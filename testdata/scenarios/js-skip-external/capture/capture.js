'use strict';

// Makes ../dispatch.json: loads @sentry/node first, as `node --require
// ./instrument.js src/main.js` would, then charges an order while the
// payments provider refuses connections (nothing listens on its port). The
// rejection of main() is never handled, and the SDK's onUnhandledRejection
// integration captures the ECONNREFUSED error.
//
// Run: NODE_PATH=/path/to/node_modules node capture.js

const path = require('node:path');
const { initCapture } = require('../../js-good-undefined-from-caller/capture/sentry-capture');

initCapture({ out: path.join(__dirname, '..', 'dispatch.json'), release: 'billing@3.1.0', serverName: 'billing-1' });

process.env.PAYMENTS_URL = 'http://127.0.0.1:9';
require('../repo/src/main').main(1207, 4999);

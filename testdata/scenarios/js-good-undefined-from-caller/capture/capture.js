'use strict';

// Makes ../dispatch.json: serves the order API (../repo/src/server.js) with
// @sentry/node loaded first, as `node --require ./instrument.js` would, and
// sends the request that crashed production: POST /orders/42/discount with
// a code the shop does not know. The uncaught TypeError is captured by the
// SDK's onUncaughtException integration, which then exits the process.
//
// Run: NODE_PATH=/path/to/node_modules node capture.js

const path = require('node:path');
const { initCapture } = require('./sentry-capture');

initCapture({ out: path.join(__dirname, '..', 'dispatch.json'), release: 'shop-api@1.6.0' });

const http = require('node:http');
const { createServer } = require('../repo/src/server');

const server = createServer().listen(0, '127.0.0.1', () => {
  const req = http.request({
    host: '127.0.0.1', port: server.address().port, method: 'POST', path: '/orders/42/discount',
    headers: { 'content-type': 'application/json', host: 'api.shop.example', 'user-agent': 'shop-web/4.2.0' },
  });
  req.on('error', () => {}); // the server dies with the request in flight
  req.end(JSON.stringify({ code: 'SPRING' }));
});

'use strict';

const http = require('node:http');
const { handleDiscount } = require('./checkout');

const orders = new Map([[42, { id: 42, subtotalCents: 4999 }]]);

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The order API: POST /orders/:id/discount with {"code": "..."}. */
function createServer() {
  return http.createServer((req, res) => {
    const m = /^\/orders\/(\d+)\/discount$/.exec(req.url);
    const order = m && orders.get(Number(m[1]));
    if (req.method !== 'POST' || !order) {
      send(res, 404, { error: 'not found' });
      return;
    }
    let raw = '';
    req.on('data', (chunk) => { raw += chunk; });
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(raw);
      } catch (err) {
        send(res, 400, { error: 'invalid JSON body' });
        return;
      }
      try {
        send(res, 200, { total_cents: handleDiscount(order, body) });
      } catch (err) {
        if (err.status !== 400) throw err;
        send(res, 400, { error: err.message });
      }
    });
  });
}

if (require.main === module) {
  createServer().listen(Number(process.env.PORT) || 3000);
}

module.exports = { createServer };

'use strict';

const http = require('node:http');

/** Posts a charge to the payments provider and resolves to its answer. */
function postCharge(baseUrl, charge) {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL('/v1/charges', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => {
        if (res.statusCode !== 201) {
          reject(new Error(`payments: status ${res.statusCode}: ${body}`));
          return;
        }
        resolve(JSON.parse(body));
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(charge));
  });
}

/** The charge for an order, in the provider's format. */
function chargeFor(order) {
  return { amount: order.totalCents, currency: 'eur', reference: `order-${order.id}` };
}

module.exports = { postCharge, chargeFor };

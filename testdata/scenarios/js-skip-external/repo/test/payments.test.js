'use strict';

const test = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const { chargeFor, postCharge } = require('../src/payments');

test('chargeFor uses the order total and id', () => {
  assert.deepStrictEqual(chargeFor({ id: 9, totalCents: 1250 }), { amount: 1250, currency: 'eur', reference: 'order-9' });
});

test('postCharge resolves to the receipt', async () => {
  const server = http.createServer((req, res) => {
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'ch_1' }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const receipt = await postCharge(`http://127.0.0.1:${server.address().port}`, chargeFor({ id: 9, totalCents: 1250 }));
    assert.strictEqual(receipt.id, 'ch_1');
  } finally {
    server.close();
  }
});

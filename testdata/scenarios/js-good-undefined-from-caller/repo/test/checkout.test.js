'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { handleDiscount } = require('../src/checkout');
const { BadRequest } = require('../src/errors');

test('a known code reprices the order', () => {
  const order = { id: 1, subtotalCents: 2000 };
  assert.strictEqual(handleDiscount(order, { code: 'welcome10' }), 1800);
  assert.strictEqual(order.discount, 'WELCOME10');
});

test('a missing code is a bad request', () => {
  assert.throws(() => handleDiscount({ id: 1, subtotalCents: 2000 }, {}), BadRequest);
});

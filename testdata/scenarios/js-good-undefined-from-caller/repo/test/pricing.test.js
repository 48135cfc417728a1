'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { applyDiscount, addTax } = require('../src/pricing');

test('applyDiscount rounds down', () => {
  assert.strictEqual(applyDiscount(999, { code: 'X', percent: 10 }), 900);
});

test('addTax adds the rate', () => {
  assert.strictEqual(addTax(1000, 20), 1200);
});

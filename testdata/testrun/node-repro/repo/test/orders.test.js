'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { Store } = require('../lib/orders');

test('total of a known order', () => {
  assert.strictEqual(new Store(new Map([['a', { amount: 5 }]])).total('a'), 5);
});

test('count', () => {
  assert.strictEqual(new Store(new Map([['a', { amount: 5 }]])).count(), 1);
});

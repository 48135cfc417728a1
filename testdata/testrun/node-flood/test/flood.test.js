'use strict';

const test = require('node:test');
const assert = require('node:assert');

// Writes far more output than a runner keeps, then fails.
test('flood', () => {
  const line = 'flood '.repeat(20);
  for (let i = 0; i < 20000; i++) {
    console.log(i, line);
  }
  assert.fail('flood done');
});

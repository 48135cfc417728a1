'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { processSignups } = require('../src/worker');

test('no jobs, no mail', async () => {
  const sent = [];
  assert.strictEqual(await processSignups(null, [], async (m) => sent.push(m)), 0);
  assert.deepStrictEqual(sent, []);
});

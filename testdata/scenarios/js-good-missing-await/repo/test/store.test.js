'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { UserStore } = require('../src/store');

test('findUser resolves to the user', async () => {
  const store = new UserStore([{ id: 7, name: 'Ada', email: 'Ada@Example.com' }]);
  assert.strictEqual((await store.findUser(7)).name, 'Ada');
});

test('findUser resolves to null for an unknown id', async () => {
  const store = new UserStore([]);
  assert.strictEqual(await store.findUser(8), null);
});

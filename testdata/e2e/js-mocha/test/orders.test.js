const assert = require('assert');
const { total } = require('../src/orders');

describe('total', () => {
  it('is the amount of a known order', () => {
    assert.strictEqual(total({ a: { amount: 5 } }, 'a'), 5);
  });
});

const { total } = require('../src/orders');

describe('total', () => {
  test('is the amount of a known order', () => {
    expect(total({ a: { amount: 5 } }, 'a')).toBe(5);
  });
});

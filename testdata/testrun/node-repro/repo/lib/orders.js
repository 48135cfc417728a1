'use strict';

// A tiny order store whose total crashes on an unknown id.
class Store {
  constructor(orders) {
    this.orders = orders;
  }

  total(id) {
    const order = this.orders.get(id);
    return order.amount;
  }

  count() {
    return this.orders.size;
  }
}

module.exports = { Store };

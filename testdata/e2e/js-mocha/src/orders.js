'use strict';

// total returns the amount of the order with the id.
function total(orders, id) {
  return orders[id].amount;
}

module.exports = { total };

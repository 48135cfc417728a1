'use strict';

const { CATALOG } = require('./discounts');
const { BadRequest } = require('./errors');
const { applyDiscount } = require('./pricing');

/** Applies body.code to the order and returns the new total in cents. */
function handleDiscount(order, body) {
  const code = body && body.code;
  if (typeof code !== 'string' || code === '') {
    throw new BadRequest('missing discount code');
  }
  const discount = CATALOG[code.toUpperCase()];
  order.totalCents = applyDiscount(order.subtotalCents, discount);
  order.discount = code.toUpperCase();
  return order.totalCents;
}

module.exports = { handleDiscount };

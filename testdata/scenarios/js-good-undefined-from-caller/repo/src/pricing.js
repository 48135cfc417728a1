'use strict';

/** Returns the subtotal with the discount taken off, rounded down to the cent. */
function applyDiscount(subtotalCents, discount) {
  const off = Math.floor((subtotalCents * discount.percent) / 100);
  return subtotalCents - off;
}

function addTax(cents, ratePercent) {
  return cents + Math.floor((cents * ratePercent) / 100);
}

module.exports = { applyDiscount, addTax };

'use strict';

const { chargeFor, postCharge } = require('./payments');

/** Charges one order: node src/main.js ORDER_ID TOTAL_CENTS. */
async function main(orderId, totalCents) {
  const base = process.env.PAYMENTS_URL || 'http://payments.internal:8080';
  const receipt = await postCharge(base, chargeFor({ id: orderId, totalCents }));
  console.log(`order ${orderId} charged: ${receipt.id}`);
}

if (require.main === module) {
  main(Number(process.argv[2]), Number(process.argv[3]));
}

module.exports = { main };

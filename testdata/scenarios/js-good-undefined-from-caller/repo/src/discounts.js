'use strict';

/** The discount codes the shop knows, by code. */
const CATALOG = {
  WELCOME10: { code: 'WELCOME10', percent: 10 },
  VIP25: { code: 'VIP25', percent: 25 },
};

module.exports = { CATALOG };

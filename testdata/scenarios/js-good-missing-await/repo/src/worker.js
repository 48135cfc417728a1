'use strict';

const { welcomeMail } = require('./mail');

/** Sends a welcome mail for each sign-up job, in order. */
async function processSignups(store, jobs, send) {
  let sent = 0;
  for (const job of jobs) {
    const mail = await welcomeMail(store, job.userId);
    await send(mail);
    sent++;
  }
  return sent;
}

module.exports = { processSignups };

'use strict';

const fs = require('node:fs');
const { UserStore } = require('./store');
const { processSignups } = require('./worker');

/** Runs one batch: node src/main.js batch.json, a file of {users, jobs}. */
async function main(file) {
  const { users, jobs } = JSON.parse(await fs.promises.readFile(file, 'utf8'));
  const store = new UserStore(users);
  const sent = await processSignups(store, jobs, async (mail) => {
    console.log(`mail to ${mail.to}: ${mail.subject}`);
  });
  console.log(`${sent} welcome mails sent`);
}

if (require.main === module) {
  main(process.argv[2]);
}

module.exports = { main };

'use strict';

/** Builds the welcome mail for a user id. */
async function welcomeMail(store, userId) {
  const user = store.findUser(userId);
  if (user === null) {
    throw new Error(`no user ${userId}`);
  }
  return {
    to: user.email.toLowerCase(),
    subject: `Welcome to the shop, ${user.name}`,
  };
}

module.exports = { welcomeMail };

'use strict';

/** Users by id, behind an asynchronous interface like the real database's. */
class UserStore {
  constructor(users) {
    this.users = new Map(users.map((u) => [u.id, u]));
  }

  /** Resolves to the user with that id, or null. */
  async findUser(id) {
    await new Promise((resolve) => setImmediate(resolve));
    return this.users.get(id) ?? null;
  }
}

module.exports = { UserStore };

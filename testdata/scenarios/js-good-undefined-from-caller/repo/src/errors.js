'use strict';

/** An error the client caused; the server answers it with status 400. */
class BadRequest extends Error {
  constructor(message) {
    super(message);
    this.name = 'BadRequest';
    this.status = 400;
  }
}

module.exports = { BadRequest };

'use strict';

const test = require('node:test');
const fs = require('node:fs');
const { spawn } = require('node:child_process');

// Starts a child, records its pid in child.pid, never returns.
test('hang', async () => {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  fs.writeFileSync('child.pid', String(child.pid));
  await new Promise(() => setInterval(() => {}, 1000));
});

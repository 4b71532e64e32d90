// Starting a real `tournee serve` for the Node tests: the binary named by TOURNEE_BIN on a free
// loopback port with a temporary data folder, its output kept for failure messages.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository's root. */
export const root = resolve(import.meta.dirname, '../..');
const binary = resolve(root, process.env.TOURNEE_BIN || 'target/debug/tournee');

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.on('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/** Polls `check` every 250 ms until it returns a truthy value (returned), or fails with `what`
 * and `log()` after `timeoutMs`. */
export async function waitFor(check, what, log = () => '', timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- server log ---\n${log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Starts `tournee serve` with `args` after the listen address and data folder, and waits
 * until `ready` (a path) answers 200. Returns `{ base, log(), stop() }`; `cacheDir` shares the
 * graph cache between servers. */
export async function startServer({ args = [], ready = '/readyz', cacheDir } = {}) {
  assert.ok(existsSync(binary), `build the binary first: ${binary}`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const data = mkdtempSync(join(tmpdir(), 'tournee-node-'));
  let output = '';
  const child = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`, '--data', data, ...args], {
    env: { ...process.env, TOURNEE_CACHE_DIR: cacheDir || join(data, 'cache') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const log = () => output;
  await waitFor(async () => (await fetch(`${base}${ready}`)).ok, `the server at ${base}${ready}`, log);
  return {
    base,
    log,
    /** Appends a note (a page error, say) to the log shown on failure. */
    note: (text) => { output += `\n${text}`; },
    stop: () => child.kill('SIGTERM'),
  };
}

// Launching the Chromium the browser tests drive: Debian's package, or the binary CHROMIUM names.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Where Chromium is: CHROMIUM, else Debian's package (`scripts/test` installs it). */
export const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';

/** Chromium, headless, without the background traffic (updates, sync, QUIC probes) a test must
 * not depend on; fails with what to install when it is absent. */
export async function launchChromium() {
  assert.ok(existsSync(browserPath), `Chromium is needed: ${browserPath} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: browserPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

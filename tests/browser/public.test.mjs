// The citizens' timetable (issue 17) in a real headless Chromium against a real `tournee
// serve`: the demo week published, its public page and a poster used with the keyboard only,
// under the service's Content-Security-Policy (no violation reported), and axe-core run on the
// public page, a poster and the dispatcher's page: no violation of impact serious or critical.
// Screenshots go to `target/browser-artifacts/public-*.png`.
//
//   TOURNEE_BIN=target/debug/tournee node --test tests/browser/public.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root, startServer, waitFor as waitUntil } from './serve.mjs';
import { launchChromium } from './chromium.mjs';

const artifacts = join(root, 'target/browser-artifacts');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let token;
let plan;
const cspViolations = [];

function waitFor(check, what, timeoutMs) {
  return waitUntil(check, what, () => server?.log() ?? '', timeoutMs);
}

async function json(path, init) {
  const response = await fetch(`${server.base}${path}`, init);
  assert.ok(response.ok, `${path}: HTTP ${response.status} ${await response.clone().text()}`);
  return response.json();
}

async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (error) => server.note(`[page error] ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
  });
  return page;
}

/** axe-core's violations on the page, counted by impact; the list is written next to the
 * screenshots. */
async function axe(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const counts = { minor: 0, moderate: 0, serious: 0, critical: 0 };
  for (const v of result.violations) counts[v.impact] = (counts[v.impact] || 0) + v.nodes.length;
  const summary = result.violations.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  writeFileSync(join(artifacts, `axe-${name}.txt`), `${JSON.stringify(counts)}\n${summary.join('\n')}\n`);
  return { counts, summary };
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer({ ready: '/v1/demo' });
  const demo = await json('/v1/demo');
  plan = demo.plan_id;
  await waitFor(async () => (await json(`/v1/plans/${plan}?wait=10`)).status === 'done', 'the demo week planned');
  const today = new Date().toISOString().slice(0, 10);
  const until = new Date(Date.now() + 90 * 86400_000).toISOString().slice(0, 10);
  const published = await json(`/v1/plans/${plan}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ valid_from: today, valid_until: until, description: 'Démarches administratives, aide au numérique, impression de documents.' }),
  });
  token = published.token;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('the public page lists the stops by commune with a map of letters, and passes axe-core', async () => {
  const page = await newPage();
  await page.goto(`${server.base}/p/${token}`);
  await waitFor(() => page.evaluate(() => document.body.dataset.mapReady), 'the map of stops');
  const stops = await page.locator('li.stop h3').allTextContents();
  assert.ok(stops.length > 0, 'stops listed');
  const markers = await page.locator('#map .stop-marker').allTextContents();
  assert.equal(markers.length, stops.length, 'one marker per stop');
  assert.ok(markers.every((m) => /^[A-Z]+$/.test(m)), `a letter in each marker: ${markers}`);
  const streets = await page.locator('#map .leaflet-overlay-pane path').count();
  assert.ok(streets > 0, 'the streets drawn under the stops');
  await page.screenshot({ path: join(artifacts, 'public-page.png'), fullPage: true });
  const { counts, summary } = await axe(page, 'public-page');
  assert.equal(counts.serious + counts.critical, 0, summary.join('\n'));
  assert.deepEqual(cspViolations, [], 'the page works under its Content-Security-Policy');
  await page.context().close();
});

test('with the keyboard only: search a commune, reach its calendar, open its poster', async () => {
  const page = await newPage({ width: 390, height: 844 });
  await page.goto(`${server.base}/p/${token}`);
  const data = await json(`/p/${token}/data.json`);
  const wanted = data.stops[data.stops.length - 1];
  let steps = 0;
  while (await page.evaluate(() => document.activeElement?.id) !== 'search') {
    await page.keyboard.press('Tab');
    steps += 1;
    assert.ok(steps < 10, 'the search box is among the first stops of the Tab key');
  }
  await page.keyboard.type(wanted.commune);
  const shown = await page.locator('li.stop:not([hidden])').count();
  assert.ok(shown >= 1 && shown < data.stops.length || data.stops.length === 1, `filtered to ${shown}`);
  assert.match(await page.locator('#search-count').textContent(), /arrêt/);
  await page.keyboard.press('Enter');
  const subscribe = await page.evaluate(() => document.activeElement?.getAttribute('href'));
  assert.match(subscribe, /\/arret\/.+\.ics$/, 'Enter leads to the first stop found: its calendar link');
  const calendar = await fetch(`${server.base}${subscribe}`);
  assert.equal(calendar.status, 200);
  assert.match(await calendar.text(), /BEGIN:VEVENT[\s\S]*UNTIL=/);
  await page.keyboard.press('Tab');
  const poster = await page.evaluate(() => document.activeElement?.getAttribute('href'));
  assert.match(poster, /\/affiche\//);
  await Promise.all([page.waitForURL(/\/affiche\//), page.keyboard.press('Enter')]);
  assert.match(await page.locator('h1').textContent(), / à /);
  await page.context().close();
});

test('a poster is one A4 page with its QR code, and passes axe-core', async () => {
  const page = await newPage({ width: 794, height: 1123 });
  const data = await json(`/p/${token}/data.json`);
  await page.goto(`${server.base}/p/${token}/affiche/${encodeURIComponent(data.stops[0].id)}`);
  assert.equal(await page.locator('figure.qr svg').count(), 1);
  await page.screenshot({ path: join(artifacts, 'public-poster.png'), fullPage: true });
  const { counts, summary } = await axe(page, 'public-poster');
  assert.equal(counts.serious + counts.critical, 0, summary.join('\n'));
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.screen-only').isVisible(), false, 'the link back is not printed');
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pages, 1, 'the poster fits one A4 sheet');
  await page.context().close();
});

test("the dispatcher's page shows what is published, passes axe-core, and revokes", async () => {
  const page = await newPage({ width: 1366, height: 768 });
  await page.goto(server.base);
  await page.locator('#timetable .block[data-key]').first().waitFor({ timeout: 60_000 });
  const published = page.locator('#publications li');
  await published.first().waitFor();
  assert.match(await published.first().textContent(), /en ligne depuis le/);
  assert.equal(await published.locator(`a[href="/p/${token}"]`).count(), 1);
  await page.locator('#publish-form').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'public-desk-published.png') });
  const { counts, summary } = await axe(page, 'desk');
  assert.equal(counts.serious + counts.critical, 0, summary.join('\n'));
  assert.deepEqual(cspViolations, [], "the dispatcher's page works under its Content-Security-Policy");
  await published.locator('button[data-revoke]').click();
  await waitFor(async () => /retirée/.test(await page.locator('#publish-message').textContent()), 'the revocation');
  assert.equal((await fetch(`${server.base}/p/${token}`)).status, 404, 'revoked: 404 at once');
  // The page says the address is revoked, then reloads the list: wait for the list too.
  await waitFor(
    async () => /Aucun planning publié/.test(await page.locator('#publications').textContent()),
    'the emptied list of publications',
  );
  await page.context().close();
});

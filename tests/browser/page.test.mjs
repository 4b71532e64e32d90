// The dispatcher's page in a real headless Chromium against a real `tournee serve` (demo
// territory, temporary data directory). Run by `scripts/test`; screenshots of the main views go
// to `target/browser-artifacts/`.
//
//   TOURNEE_BIN=target/debug/tournee node --test tests/browser/

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, startServer, waitFor as waitUntil } from './serve.mjs';
import { launchChromium } from './chromium.mjs';

const artifacts = join(root, 'target/browser-artifacts');

let server;
let base;
let browser;
let page;

/** Waits for `check` as `waitUntil` does, showing the server's log on failure. */
function waitFor(check, what, timeoutMs) {
  return waitUntil(check, what, () => server?.log() ?? '', timeoutMs);
}

async function json(path, init) {
  const response = await fetch(`${base}${path}`, init);
  assert.ok(response.ok, `${path}: HTTP ${response.status} ${await response.clone().text()}`);
  return response.json();
}

/** The visits of a plan, as the timetable should show them. */
function visitsOf(plan) {
  return plan.routes.flatMap((r) => r.steps.filter((s) => s.type === 'visit').map((s) => ({ ...s, unit: r.unit, date: r.date })));
}

/** Runs `action` (which starts a solve) and waits until the page shows the new plan. */
async function replanned(action) {
  const shown = async () => Number(await page.evaluate(() => document.body.dataset.plansShown || 0));
  const before = await shown();
  await action();
  await waitFor(async () => (await shown()) > before, 'the new plan on the page');
}

let uploaded;

async function shot(name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer({ ready: '/v1/demo' });
  base = server.base;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (error) => server.note(`[page error] ${error.message}`));
  const external = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('blob:') && !request.url().startsWith('data:')) external.push(request.url());
  });
  page.external = external;
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('the demo shows routes on the map and blocks in the timetable, offline', async () => {
  const demo = await json('/v1/demo');
  const job = await waitFor(async () => {
    const j = await json(`/v1/plans/${demo.plan_id}`);
    return j.status === 'done' && j;
  }, 'the demo plan');
  const visits = visitsOf(job.plan);
  assert.ok(visits.length >= 10, `the demo plans ${visits.length} visits`);

  await page.goto(base);
  await page.locator('#timetable .block[data-key]').first().waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('#timetable .block[data-key]').count(), visits.length);
  // The road network and at least one route per unit that works are drawn as SVG paths.
  await page.locator('#map path.leaflet-interactive').first().waitFor();
  const strokes = await page.locator('#map path').evaluateAll((paths) => paths.map((p) => p.getAttribute('stroke')));
  const units = new Set(job.plan.routes.map((r) => r.unit));
  const routeStrokes = new Set(strokes.filter((s) => s && s !== '#9aa5b1' && s !== '#111'));
  assert.ok(strokes.includes('#9aa5b1'), 'the road network is drawn');
  assert.equal(routeStrokes.size, units.size, `one colour per working unit: ${[...routeStrokes]}`);
  assert.ok(await page.locator('#map .leaflet-marker-pane, #map path').count() > visits.length);
  assert.match(await page.locator('#kpis').innerText(), /Servis/);
  assert.match(await page.locator('.leaflet-control-attribution').innerText(), /OpenStreetMap/);
  assert.deepEqual(page.external, [], 'the page fetches nothing from outside the server');
  await shot('1-demo-week');

  // Clicking a block highlights its marker on the map, and back.
  const first = page.locator('#timetable .block[data-key]').first();
  await first.click({ position: { x: 5, y: 5 } });
  await assert.doesNotReject(first.and(page.locator('.selected')).waitFor());
});

test('an uploaded problem is planned and its result appears', async () => {
  const demo = await json('/v1/demo');
  const problem = structuredClone(demo.problem);
  uploaded = problem;
  problem.name = 'Semaine envoyée';
  problem.commitments = { pinned: [] };
  problem.home_visits = problem.home_visits.slice(0, 3);
  problem.solver = { time_limit_s: 3, seed: 2 };
  const file = join(artifacts, 'uploaded-problem.json');
  writeFileSync(file, JSON.stringify(problem));
  await page.setInputFiles('#upload-json', file);
  await page.getByText('« uploaded-problem.json » chargé').waitFor();
  await replanned(() => page.click('#plan'));
  const homeBlocks = await page.locator('#timetable .block.home_visit').count();
  assert.equal(homeBlocks, 3, 'the three home visits of the uploaded problem');
  await shot('2-uploaded-plan');
});

test('an invalid field is refused with the message next to it, in French, until it is corrected', async () => {
  await page.click('#tab-stops');
  const stop = page.locator('#panel-stops details.item').first();
  await stop.locator('summary').click();
  const end = stop.locator('input[data-path$="/0/end"]').first();
  await end.fill('06:00');
  await end.dispatchEvent('change');
  await page.click('#plan');
  await page.locator('#panel-stops .field-error:not(:empty)').first().waitFor({ timeout: 30_000 });
  try {
    assert.equal(await end.getAttribute('aria-invalid'), 'true');
    const message = end.locator('xpath=..').locator('.field-error');
    assert.match(await message.innerText(), /^la fin \(6 h 00\) est avant le début \(\d{1,2} h \d{2}\)$/);
    await shot('3-invalid-field');
  } finally {
    await end.fill('17:00');
    await end.dispatchEvent('change');
  }
  assert.equal(await end.getAttribute('aria-invalid'), null, 'the corrected field is no longer marked');
  assert.equal(await end.locator('xpath=..').locator('.field-error').innerText(), '');
});

test('dragging a stop to another day re-plans with the stop on that day', async () => {
  await replanned(() => page.click('#plan'));
  // A stop open every weekday, moved to another day its unit works, keeping its start time.
  const everyDay = uploaded.stops.filter((s) => ['mon', 'tue', 'wed', 'thu', 'fri'].every((d) => s.opening_hours[d]))
    .map((s) => s.id);
  const keys = await page.locator('#timetable .block.stop[data-movable]').evaluateAll((list) => list.map((b) => b.dataset.key));
  const key = keys.find((k) => everyDay.includes(k.split('|')[2]));
  assert.ok(key, `a stop open every weekday is planned: ${keys}`);
  const [unit, date, stopId] = key.split('|');
  const block = page.locator(`#timetable .block[data-key="${key}"]`);
  const works = Object.keys(uploaded.units.find((u) => u.id === unit).hours);
  const cells = page.locator(`#timetable .cell[data-unit="${unit}"]`);
  const dates = await cells.evaluateAll((list) => list.map((c) => c.dataset.date));
  const weekday = (d) => ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(`${d}T12:00:00Z`).getUTCDay()];
  const target = dates.find((d) => d !== date && works.includes(weekday(d)));
  // The unit's row may sit below the fold: bring it into view before reading where to press.
  await block.scrollIntoViewIfNeeded();
  const box = await block.boundingBox();
  const cell = await page.locator(`#timetable .cell[data-unit="${unit}"][data-date="${target}"]`).boundingBox();
  await replanned(async () => {
    await page.mouse.move(box.x + 10, box.y + 8);
    await page.mouse.down();
    await page.mouse.move(cell.x + cell.width / 2, cell.y + 40, { steps: 12 });
    await page.mouse.up();
  });
  await page.locator(`#timetable .cell[data-unit="${unit}"][data-date="${target}"] .block[data-key="${unit}|${target}|${stopId}"]`)
    .waitFor({ timeout: 10_000 });
  assert.match(await page.locator('#changes').innerText(), /→/, 'the change against the previous plan is listed');
  await shot('4-after-drag');
});

test('every export button returns a file that parses', async () => {
  const links = await page.locator('#exports a').evaluateAll((list) => list.map((a) => a.getAttribute('href')));
  assert.ok(links.length >= 4, `${links.length} export links`);
  for (const href of links) {
    const response = await page.request.get(`${base}${href}`);
    assert.equal(response.status(), 200, href);
    const body = (await response.text()).replace(/^\ufeff/, '');
    if (href.endsWith('.ics')) {
      const lines = body.split('\r\n');
      assert.equal(lines[0], 'BEGIN:VCALENDAR', href);
      assert.equal(lines.filter((l) => l === 'BEGIN:VEVENT').length, lines.filter((l) => l === 'END:VEVENT').length, href);
      assert.ok(lines.includes('END:VCALENDAR'), href);
    } else if (href.includes('.geojson')) {
      const geojson = JSON.parse(body);
      assert.equal(geojson.type, 'FeatureCollection');
      assert.ok(geojson.features.some((f) => f.geometry.type === 'LineString' || f.geometry.type === 'MultiLineString'), 'routes');
    } else if (href.includes('.csv')) {
      const rows = body.trim().split(/\r?\n/).map((l) => l.split(';'));
      assert.ok(rows.length > 1, 'rows');
      assert.ok(rows.every((r) => r.length === rows[0].length), 'every row has the header’s columns');
    }
  }
  const printable = page.locator('#exports [data-sheet]').first();
  await page.evaluate(() => { window.print = () => {}; });
  await printable.click();
  await page.emulateMedia({ media: 'print' });
  assert.match(await page.locator('#sheet').innerText(), /Feuille de route/);
  await shot('5-printable-sheet');
  await page.emulateMedia({ media: 'screen' });
});

test('territorial coverage runs as a job, is drawn on the map and its stops join the problem', async () => {
  await page.fill('#coverage-minutes', '10');
  await page.selectOption('#coverage-mode', 'foot');
  await page.selectOption('#coverage-unit', 'triporteur');
  const stopsBefore = await page.locator('#panel-stops details.item').count();
  const followed = [];
  const listen = (request) => {
    if (/\/v1\/coverage\/[^/?]+\?wait=/.test(request.url())) followed.push(request.url());
  };
  page.on('request', listen);
  const submitted = page.waitForResponse((r) => r.url().endsWith('/v1/coverage') && r.request().method() === 'POST');
  await page.click('#coverage-run');
  assert.equal((await submitted).status(), 202, 'the request is queued as a job');
  await page.getByText(/arrêt\(s\) couvrent/).waitFor({ timeout: 60_000 });
  page.off('request', listen);
  assert.ok(followed.length >= 1, 'the page follows the job until it is done');
  const yellow = await page.locator('#map path').evaluateAll((paths) => paths.filter((p) => p.getAttribute('fill') === '#facc15').length);
  assert.ok(yellow >= 1, 'the chosen sites are drawn');
  await page.click('#coverage-add');
  const added = Number((await page.locator('#load-message').innerText()).match(/(\d+) arrêt\(s\) de la couverture ajouté/)?.[1]);
  assert.ok(added >= 1, 'stops were added');
  assert.equal(await page.locator('#panel-stops details.item').count(), stopsBefore + added, 'the chosen stops are in the problem');
  await page.locator('#coverage').scrollIntoViewIfNeeded();
  await shot('6-coverage');
});

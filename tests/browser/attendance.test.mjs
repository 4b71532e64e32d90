// Attendance on the dispatcher's page (issue 19) in a real headless Chromium on a phone-sized
// viewport, against a real `tournee serve` (demo territory): a day's visits entered, refused in
// French, recorded then replaced; a season imported as CSV (its faults by line and column); the
// per-stop chart, mean and advice; the proposal side by side with the plan in force, applied
// only when the dispatcher says so; axe-core on the whole. Screenshots go to
// `target/browser-artifacts/attendance-*.png`.
//
//   TOURNEE_BIN=target/debug/tournee node --test tests/browser/attendance.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root, startServer, waitFor as waitUntil } from './serve.mjs';
import { launchChromium } from './chromium.mjs';

const artifacts = join(root, 'target/browser-artifacts');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };
/** The demo's market hall: one person a visit in the season below. */
const EMPTY = 'vanha-kauppahalli';

let server;
let browser;
let page;
/** The plan in force on the page: `{id, plan}`. */
let inForce;

function waitFor(check, what, timeoutMs) {
  return waitUntil(check, what, () => server?.log() ?? '', timeoutMs);
}

async function json(path) {
  const response = await fetch(`${server.base}${path}`);
  assert.ok(response.ok, `${path}: HTTP ${response.status} ${await response.clone().text()}`);
  return response.json();
}

/** A screenshot of the attendance section. */
async function shot(name) {
  await page.locator('#attendance').screenshot({ path: join(artifacts, `attendance-${name}.png`) });
}

/** Every stop visit of a plan: `{stop, unit, date, weekday}`. */
function stopVisits(plan) {
  return plan.routes.flatMap((r) => r.steps.filter((s) => s.type === 'visit' && s.kind === 'stop')
    .map((s) => ({ stop: s.id, unit: r.unit, date: r.date, weekday: r.weekday })));
}

const daysBefore = (date, n) => new Date(Date.parse(`${date}T12:00:00Z`) - n * 86400_000).toISOString().slice(0, 10);

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer({ ready: '/v1/demo' });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (error) => server.note(`[page error] ${error.message}`));
  await page.goto(server.base);
  await waitFor(() => page.evaluate(() => Number(document.body.dataset.plansShown || 0) > 0), 'the demo plan on the phone');
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('tournee-in-force')));
  inForce = { id: kept.jobId, plan: (await json(`/v1/plans/${kept.jobId}`)).plan };
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('on a phone a day’s visits are entered: a refusal in French next to its visit, then recorded, then replaced', async () => {
  const visits = stopVisits(inForce.plan);
  const { unit, date } = visits[0];
  const thatDay = visits.filter((v) => v.unit === unit && v.date === date);
  await page.locator('#attendance').scrollIntoViewIfNeeded();
  await page.selectOption('#attendance-unit', unit);
  await page.fill('#attendance-date', date);
  const rows = page.locator('#attendance-visits li[data-stop]');
  await waitFor(async () => (await rows.count()) === thatDay.length, `the ${thatDay.length} visits of ${unit} on ${date}`);
  assert.deepEqual(await rows.evaluateAll((l) => l.map((li) => li.dataset.stop)), thatDay.map((v) => v.stop));
  const fields = rows.locator('input[type="number"]');
  assert.deepEqual(await fields.evaluateAll((l) => l.map((i) => i.inputMode)), thatDay.map(() => 'numeric'));
  const topics = await rows.first().locator('select option').evaluateAll((l) => l.map((o) => o.value));
  assert.deepEqual(topics, ['', 'demarches', 'numerique', 'sante', 'autre']);

  // A negative count: the service refuses it, said in French beside that visit, nothing kept.
  await fields.first().fill('-2');
  for (let i = 1; i < thatDay.length; i++) await fields.nth(i).fill(String(5 + i));
  await page.click('#attendance-save');
  const firstOutcome = rows.first().locator('.outcome');
  await waitFor(async () => /entier positif/.test(await firstOutcome.textContent()), 'the refusal beside the first visit');
  assert.equal(await firstOutcome.evaluate((e) => e.classList.contains('error')), true);
  assert.equal((await json(`/v1/attendance?plan=${inForce.id}`)).length, 0, 'a refused batch stores nothing');

  await fields.first().fill('12');
  await rows.first().locator('select').selectOption('numerique');
  await page.click('#attendance-save');
  await waitFor(async () => (await rows.locator('.outcome').allTextContents()).every((t) => t === 'enregistré'), 'every visit recorded');
  const stored = await json(`/v1/attendance?plan=${inForce.id}`);
  assert.equal(stored.length, thatDay.length);
  const first = stored.find((r) => r.stop === thatDay[0].stop);
  assert.deepEqual([first.visitors, first.topic, first.date, first.unit], [12, 'numerique', date, unit]);

  await fields.first().fill('14');
  await page.click('#attendance-save');
  await waitFor(async () => (await firstOutcome.textContent()) === 'remplacé', 'the visit replaced');
  assert.equal((await json(`/v1/attendance?plan=${inForce.id}`)).find((r) => r.stop === thatDay[0].stop).visitors, 14);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the page is ${width} px wide on a ${PHONE.width} px screen`);
  await shot('1-day');
});

test('a season imported as CSV: faults by line and column, then a chart, mean and advice per stop', async () => {
  const bad = join(artifacts, 'attendance-bad.csv');
  const some = stopVisits(inForce.plan)[0];
  writeFileSync(bad, `stop;date;visitors;topic\n${some.stop};${some.date};4\n${some.stop};${some.date};beaucoup;velo\n`);
  await page.setInputFiles('#attendance-csv', bad);
  const message = page.locator('#attendance-message');
  await waitFor(async () => /ligne 3, colonne 3/.test(await message.textContent()), 'the CSV faults');
  assert.match(await message.textContent(), /ligne 3, colonne 4 : « velo »/);

  // Six cycles before the plan: the market hall 1 a visit, the others 8 to 10.
  const lines = ['stop;date;visitors;topic'];
  for (let cycle = 1; cycle <= 6; cycle++) {
    for (const v of stopVisits(inForce.plan)) {
      lines.push(`${v.stop};${daysBefore(v.date, 7 * cycle)};${v.stop === EMPTY ? 1 : 8 + (cycle % 3)};demarches`);
    }
  }
  const season = join(artifacts, 'attendance-season.csv');
  writeFileSync(season, `${lines.join('\n')}\n`);
  await page.setInputFiles('#attendance-csv', []);
  await page.setInputFiles('#attendance-csv', season);
  await waitFor(async () => /importées/.test(await message.textContent()), 'the season imported');
  assert.match(await message.textContent(), new RegExp(`${lines.length - 1} visites importées`));

  // The demo week names its extract's file: its records are the territory's.
  const summary = await json('/v1/attendance/summary?territory=helsinki');
  const charts = page.locator('#attendance-stops svg[role="img"]');
  await waitFor(async () => (await charts.count()) === summary.stops.length, `a chart per stop (${summary.stops.length})`);
  const empty = summary.stops.find((s) => s.stop === EMPTY);
  assert.equal(empty.advice, 'drop');
  const item = page.locator(`#attendance-stops [data-stop="${EMPTY}"]`);
  assert.equal(await item.locator('svg rect.bar').count(), empty.weeks.length, 'one bar per week');
  assert.match(await item.locator('svg').getAttribute('aria-label'), /par semaine/);
  assert.match(await item.textContent(), /À retirer/);
  assert.ok((await item.textContent()).includes(empty.reason), 'the advice’s French reason');
  const href = await page.locator('#attendance-export').getAttribute('href');
  assert.match(href, /format=csv/);
  const exported = await (await fetch(`${server.base}${href}`)).text();
  assert.equal(exported.trim().split('\n').length, summary.visits + 1, 'the export holds every record');
  await shot('2-chart');
});

test('the proposal is shown beside the plan in force, and put in force only when applied', async () => {
  const answered = page.waitForResponse((r) => r.url().includes('/proposal') && r.request().method() === 'POST');
  await page.click('#proposal-ask');
  const answer = await (await answered).json();
  const table = page.locator('#proposal-figures');
  await table.waitFor();
  await waitFor(async () => !(await page.locator('#proposal-apply').isDisabled()), 'the proposed plan');
  const heads = await table.locator('thead th').allTextContents();
  assert.deepEqual(heads.slice(1), ['En vigueur', 'Proposé']);
  assert.equal(await table.locator('tbody tr').count(), 5);
  const stops = await table.locator('tbody tr').first().locator('td').allTextContents();
  assert.equal(stops[0], String(answer.before.stops));
  const changes = page.locator('#proposal-changes li[data-stop]');
  assert.equal(await changes.count(), answer.changes.length);
  const warnings = page.locator('#proposal-warnings li[data-stop]');
  assert.equal(await warnings.count(), answer.warnings.length);
  const named = [...await changes.evaluateAll((l) => l.map((li) => li.dataset.stop)), ...await warnings.evaluateAll((l) => l.map((li) => li.dataset.stop))];
  assert.ok(named.includes(EMPTY), `the market hall is dropped or kept with its reason: ${named}`);
  for (const change of answer.changes) {
    assert.ok((await page.locator('#proposal-changes').textContent()).includes(change.reason));
  }
  // Nothing changed yet: the plan in force is still the demo's.
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('tournee-in-force')).jobId), inForce.id);

  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the page is ${width} px wide on a ${PHONE.width} px screen`);
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const serious = result.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  writeFileSync(join(artifacts, 'axe-attendance.txt'), result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`).join('\n'));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`), []);
  await shot('3-proposal');

  await page.locator('#proposal-apply').focus();
  await page.keyboard.press('Enter');
  await waitFor(() => page.evaluate((id) => JSON.parse(localStorage.getItem('tournee-in-force')).jobId === id, answer.job.id), 'the proposal in force');
  const proposed = (await json(`/v1/plans/${answer.job.id}`)).plan;
  const visits = proposed.routes.flatMap((r) => r.steps.filter((s) => s.type === 'visit')).length;
  await waitFor(async () => (await page.locator('#timetable .block[data-key]').count()) === visits, 'the proposed plan on the timetable');
  assert.match(await page.locator('#changes').textContent(), /en vigueur/);
});

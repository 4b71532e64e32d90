// The dispatcher's desk (issue 16) in a real headless Chromium against a real `tournee serve`:
// work that survives a reload and is never silently out of date, spreadsheets as Excel writes
// them, moves that move the visit picked and can be undone, changes in French, and a phone on
// which a swipe scrolls. Screenshots go to `target/browser-artifacts/desk-*.png`.
//
//   TOURNEE_BIN=target/debug/tournee node --test tests/browser/desk.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, startServer, waitFor as waitUntil } from './serve.mjs';
import { launchChromium } from './chromium.mjs';

const artifacts = join(root, 'target/browser-artifacts');
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

let server;
let browser;
let page;

function waitFor(check, what, timeoutMs) {
  return waitUntil(check, what, () => server?.log() ?? '', timeoutMs);
}

async function shot(name, on = page) {
  await on.screenshot({ path: join(artifacts, `desk-${name}.png`), fullPage: true });
}

/** Plans shown so far by the page. */
function plansShown(on = page) {
  return on.evaluate(() => Number(document.body.dataset.plansShown || 0));
}

/** Runs `action` (which starts a solve) and waits until the page shows the new plan. */
async function replanned(action, on = page) {
  const before = await plansShown(on);
  await action();
  await waitFor(async () => (await plansShown(on)) > before, 'the new plan on the page');
}

/** The visits of a stop on the page's timetable: `[{unit, date}]`, by date. */
async function visitsOf(stopId, on = page) {
  const keys = await on.locator('#timetable .block[data-key]').evaluateAll((list) => list.map((b) => b.dataset.key));
  return keys.map((k) => k.split('|')).filter(([, , id]) => id === stopId)
    .map(([unit, date]) => ({ unit, date })).sort((a, b) => a.date.localeCompare(b.date));
}

const weekday = (date) => ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(`${date}T12:00:00Z`).getUTCDay()];

async function newPage(viewport, extra = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, ...extra });
  const opened = await context.newPage();
  opened.on('pageerror', (error) => server.note(`[page error] ${error.message}`));
  return opened;
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer({ ready: '/v1/demo' });
  browser = await launchChromium();
  page = await newPage(LAPTOP);
  await page.goto(server.base);
  await page.locator('#timetable .block[data-key]').first().waitFor({ timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('at 1366 × 768 the plan is the first view: figures, map and the whole week above the fold', async () => {
  assert.equal(await page.locator('#daylist').isVisible(), false, 'the list view is for phones');
  const top = await page.locator('#timetable').evaluate((e) => e.getBoundingClientRect().top);
  assert.ok(top < LAPTOP.height / 2, `the timetable starts at y = ${top}`);
  const map = await page.locator('#map').boundingBox();
  const views = await page.locator('.views').boundingBox();
  assert.ok(map.width >= 0.45 * views.width - 20, `the map takes ${Math.round((100 * map.width) / views.width)} % of the width`);
  const box = await page.locator('#timetable').boundingBox();
  const days = await page.locator('#timetable .day').evaluateAll((l) => l.map((d) => d.getBoundingClientRect().right));
  assert.equal(days.length, 5);
  assert.ok(days.every((right) => right <= box.x + box.width + 1), `every day fits: ${days} within ${box.x + box.width}`);
  // Every hour has its label; lunch and pins are labelled.
  assert.ok(await page.locator('#timetable .unit').first().locator('.hour').count() >= 10, 'an hour scale');
  assert.match(await page.locator('#timetable .block.break').first().innerText(), /Pause/);
  assert.match(await page.locator('.legend').innerText(), /épinglé/);
  await page.screenshot({ path: join(artifacts, 'desk-0-laptop-fold.png') });

  // The units are a filter list: unticking one takes it off the timetable and the map.
  const units = await page.locator('#unit-filter input[data-unit]').evaluateAll((l) => l.map((i) => i.dataset.unit));
  assert.equal(units.length, 3, `every unit is listed: ${units}`);
  const routes = async () => page.locator('#map path.leaflet-interactive').count();
  const before = await routes();
  await page.locator(`#unit-filter input[data-unit="${units[0]}"]`).uncheck();
  assert.equal(await page.locator(`#timetable .unit`).count(), 2);
  assert.equal(await page.locator(`#timetable .block[data-key^="${units[0]}|"]`).count(), 0);
  assert.ok((await routes()) < before, 'its routes and visits leave the map');
  await page.locator(`#unit-filter input[data-unit="${units[0]}"]`).check();
  assert.equal(await page.locator(`#timetable .unit`).count(), 3);
});

test('a stop served twice a week moves only the visit picked, the change reads in French and can be undone', async () => {
  // avoin-olohuone: twice a week, two days apart at least, open Monday, Wednesday and Friday.
  const before = await visitsOf('avoin-olohuone');
  assert.equal(before.length, 2, JSON.stringify(before));
  const [picked, kept] = before;
  const open = ['mon', 'wed', 'fri'];
  const dates = await page.locator(`#timetable .cell[data-unit="${picked.unit}"]`).evaluateAll((l) => l.map((c) => c.dataset.date));
  const target = dates.find((d) => open.includes(weekday(d)) && d !== picked.date && d !== kept.date);
  assert.ok(target, `a third open day among ${dates}`);
  // The camping-car works Tuesday to Thursday: the car of the conseiller takes the visit then.
  const unit = (await page.evaluate(() => JSON.parse(localStorage.getItem('tournee-problem')).units))
    .find((u) => u.id === picked.unit && u.hours[weekday(target)]) ? picked.unit : 'conseiller';

  await page.locator(`#timetable .block[data-key="${picked.unit}|${picked.date}|avoin-olohuone"] [data-move]`).click();
  // The dialog offers only the days the stop is open.
  const offered = await page.locator('#move-day option').evaluateAll((l) => l.map((o) => o.value));
  assert.ok(offered.length >= 3 && offered.every((d) => open.includes(weekday(d))), `days offered: ${offered}`);
  await page.selectOption('#move-day', target);
  await page.selectOption('#move-unit', unit);
  await replanned(() => page.click('#move-dialog button[value="move"]'));

  const after = (await visitsOf('avoin-olohuone')).map((v) => v.date);
  assert.deepEqual(after, [kept.date, target].sort(), 'the other visit stays where it was');
  const changes = await page.locator('#changes').innerText();
  assert.match(changes, /Avoin olohuone|avoin-olohuone/i);
  assert.match(changes, /(lundi|mercredi|vendredi) \d{1,2} h \d{2} → (lundi|mercredi|vendredi) \d{1,2} h \d{2}/, changes);
  assert.doesNotMatch(changes, /\bw1\b|\b(mon|tue|wed|thu|fri) \d{2}:\d{2}/, 'no raw codes');
  await shot('1-moved');

  await page.click('#undo');
  await waitFor(async () => JSON.stringify(await visitsOf('avoin-olohuone')) === JSON.stringify(before), 'the plan before the move');
  const pins = await page.evaluate(() => JSON.parse(localStorage.getItem('tournee-problem')).commitments.pinned);
  assert.ok(!pins.some((p) => p.stop === 'avoin-olohuone'), `the move's pins are gone: ${JSON.stringify(pins)}`);
});

test('a move to a day the stop is closed is refused with the reason, not ignored', async () => {
  // vanha-kauppahalli opens Tuesday and Friday only, and only the triporteur may serve it.
  const [visit] = await visitsOf('vanha-kauppahalli');
  assert.ok(visit, 'the market hall is planned');
  const monday = await page.locator(`#timetable .cell[data-unit="${visit.unit}"]`)
    .evaluateAll((l) => l.map((c) => c.dataset.date).find((d) => new Date(`${d}T12:00:00Z`).getUTCDay() === 1));
  const block = page.locator(`#timetable .block[data-key="${visit.unit}|${visit.date}|vanha-kauppahalli"]`);
  const cell = page.locator(`#timetable .cell[data-unit="${visit.unit}"][data-date="${monday}"]`);
  await cell.scrollIntoViewIfNeeded();
  await block.scrollIntoViewIfNeeded();
  const from = await block.boundingBox();
  const to = await cell.boundingBox();
  const shown = await plansShown();
  await page.mouse.move(from.x + 10, from.y + 8);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + 40, { steps: 10 });
  await page.mouse.up();
  await page.getByText('est fermé le lundi').waitFor();
  assert.equal(await plansShown(), shown, 'nothing was re-planned');
  assert.equal(await page.evaluate(() => document.querySelector('#cancel').disabled), true, 'no computation runs');
});

test('after a change the plan on screen says it is out of date and its exports wait', async () => {
  assert.equal(await page.locator('#stale-note').isHidden(), true, 'a fresh plan is not marked');
  await page.click('#tab-stops');
  const duration = page.locator('#panel-stops input[data-path="/stops/1/duration/minutes"]');
  await page.locator('#panel-stops details.item').nth(1).locator('summary').click();
  await duration.fill('90');
  await duration.dispatchEvent('change');
  await page.locator('#stale-note').waitFor();
  assert.match(await page.locator('#stale-note').innerText(), /replanifiez/);
  assert.equal(await page.locator('#exports a[aria-disabled="true"]').count(), await page.locator('#exports a').count());
  await page.locator('#exports a').first().click({ force: true });
  await page.getByText('replanifiez avant d’exporter').waitFor();
  await shot('2-stale');
  await replanned(() => page.click('#plan'));
  assert.equal(await page.locator('#stale-note').isHidden(), true, 'the new plan is fresh');
});

test('a reload resumes the problem being edited, which downloads as JSON', async () => {
  const edited = await page.evaluate(() => JSON.parse(localStorage.getItem('tournee-problem')));
  assert.equal(edited.stops[1].duration.minutes, 90);
  await page.reload();
  await page.getByText('repris de votre dernière session').waitFor({ timeout: 60_000 });
  await page.click('#tab-stops');
  await page.locator('#panel-stops details.item').nth(1).locator('summary').click();
  assert.equal(await page.locator('#panel-stops input[data-path="/stops/1/duration/minutes"]').inputValue(), '90');
  assert.ok(await page.locator('#timetable .block[data-key]').count() > 5, 'the plan in force shows again');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.match(download.suggestedFilename(), /^tournee-.*\.json$/);
  assert.equal(saved.stops.length, edited.stops.length);
  assert.equal(saved.stops[1].duration.minutes, 90);
  assert.equal(saved.commitments.previous_plan, undefined, 'the file is the problem, not the plans');
});

test("Excel's French CSV becomes the week; importing it again to add is refused with the line", async () => {
  const rows = [
    'nom;type;latitude;longitude;durée;jours;horaires',
    'Médiathèque Töölö;bibliothèque;60,1790;24,9230;120;lun-ven;10h-12h 14h-17h',
    'Marché de Hakaniemi;marché;60,1790;24,9510;180;jeu;7h30-12h30',
  ];
  const file = join(artifacts, 'desk-import.csv');
  writeFileSync(file, Buffer.from(`${rows.join('\r\n')}\r\n`, 'latin1'));
  await page.selectOption('#csv-mode', 'new');
  await page.setInputFiles('#upload-csv', file);
  await page.getByText('forment la nouvelle semaine').waitFor();
  assert.match(await page.locator('#load-message').innerText(), /Windows-1252/);
  await page.click('#tab-stops');
  const names = await page.locator('#panel-stops details.item summary').allInnerTexts();
  assert.equal(names.length, 2, `the file is the week: ${names}`);
  assert.match(names[0], /^Médiathèque Töölö/);
  await page.locator('#panel-stops details.item').first().locator('summary').click();
  const thursday = await page.locator('#panel-stops details.item').first().locator('input[data-path^="/stops/0/opening_hours/thu/"]').evaluateAll((l) => l.map((i) => i.value));
  assert.deepEqual(thursday, ['10:00', '12:00', '14:00', '17:00'], 'both ranges of the day');
  assert.equal(await page.locator('#stale-note').isVisible(), true, 'the old plan is marked');

  await page.selectOption('#csv-mode', 'add');
  await page.setInputFiles('#upload-csv', []);
  await page.setInputFiles('#upload-csv', file);
  await page.getByText('ligne 2 : « Médiathèque Töölö » est déjà dans le problème').waitFor();
  assert.equal(await page.locator('#panel-stops details.item').count(), 2, 'nothing was added');
  await shot('3-import');
});

test('on a phone a vertical swipe over a visit scrolls and moves nothing', async () => {
  const phone = await newPage(PHONE, { hasTouch: true, isMobile: true });
  try {
    await phone.goto(server.base);
    await waitFor(async () => (await plansShown(phone)) > 0, 'the demo plan on the phone');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `the page is ${width} px wide on a ${PHONE.width} px screen`);
    // The week as a list, day by day: every visit of the timetable is in it.
    assert.equal(await phone.locator('#daylist').isVisible(), true);
    const listed = await phone.locator('#daylist li:not(.break)').count();
    assert.equal(listed, await phone.locator('#timetable .block[data-key]').count());
    assert.ok(await phone.locator('#daylist button[data-move]').count() > 0, 'stops can be moved from the list');
    const block = phone.locator('#timetable .block[data-movable]').first();
    await block.scrollIntoViewIfNeeded();
    const box = await block.boundingBox();
    const x = box.x + box.width / 2;
    const y = box.y + Math.min(10, box.height / 2);
    const scrolled = () => phone.evaluate(() => window.scrollY + document.querySelector('#timetable').scrollTop);
    const before = await scrolled();
    const pins = () => phone.evaluate(() => JSON.parse(localStorage.getItem('tournee-problem')).commitments.pinned.length);
    const pinsBefore = await pins();
    const shown = await plansShown(phone);
    const cdp = await phone.context().newCDPSession(phone);
    const touch = (type, dy) => cdp.send('Input.dispatchTouchEvent', {
      type, touchPoints: type === 'touchEnd' ? [] : [{ x, y: y + dy }],
    });
    await touch('touchStart', 0);
    for (let step = 1; step <= 10; step++) await touch('touchMove', -25 * step);
    await touch('touchEnd', 0);
    await phone.waitForTimeout(800);
    assert.ok((await scrolled()) > before, 'the swipe scrolled');
    assert.equal(await pins(), pinsBefore, 'nothing was pinned');
    assert.equal(await plansShown(phone), shown, 'nothing was re-planned');
    await shot('4-phone', phone);
  } finally {
    await phone.context().close();
  }
});

test('the keyboard: from "Planifier" to the first visit without the map’s paths, "m" opens the dialog without typing, focus stays after a re-plan', async () => {
  await replanned(() => page.click('#open-demo'));
  await page.focus('#plan');
  const stops = [];
  for (let i = 0; i < 20 && !stops.at(-1)?.block; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => {
      const e = document.activeElement;
      const label = e.labels?.[0]?.textContent.trim();
      return { tag: e.tagName, name: e.getAttribute('aria-label') || e.getAttribute('title') || label || e.textContent.trim(), block: e.matches('.block') };
    }));
  }
  assert.ok(stops.at(-1).block, `a visit is reached within 20 tabs: ${JSON.stringify(stops)}`);
  assert.ok(stops.every((s) => s.tag !== 'path' && s.name), `every stop is named and none is a map path: ${JSON.stringify(stops)}`);

  const block = page.locator('#timetable .block[data-movable]').first();
  await block.focus();
  const day = await block.getAttribute('data-key');
  await page.keyboard.press('m');
  await page.locator('#move-dialog[open]').waitFor();
  assert.equal(await page.locator('#move-day').inputValue(), day.split('|')[1], 'the key did not type into the day list');
  await page.keyboard.press('Escape');

  await block.focus();
  await page.keyboard.press('m');
  await page.locator('#move-dialog[open]').waitFor();
  await replanned(() => page.locator('#move-dialog button[value="move"]').press('Enter'));
  const focused = await page.evaluate(() => document.activeElement?.dataset?.key || document.activeElement?.id || document.activeElement?.tagName);
  assert.equal(focused.split('|')[2], day.split('|')[2], `the moved stop keeps the focus, not ${focused}`);
});

test('an earlier plan of the service is reopened with the problem it was made from', async () => {
  const listed = await page.locator('#earlier-plans option[value]:not([value=""])').evaluateAll((l) => l.map((o) => o.value));
  assert.ok(listed.length >= 2, `the service's finished plans are listed: ${listed}`);
  const oldest = listed.at(-1);
  const job = await (await fetch(`${server.base}/v1/plans/${oldest}`)).json();
  const problem = await (await fetch(`${server.base}/v1/plans/${oldest}/problem.json`)).json();
  await page.selectOption('#earlier-plans', oldest);
  await page.click('#reopen');
  await page.getByText('rouvert').waitFor();
  const visits = job.plan.routes.flatMap((r) => r.steps.filter((s) => s.type === 'visit')).length;
  await waitFor(async () => (await page.locator('#timetable .block[data-key]').count()) === visits, 'the reopened plan');
  await page.click('#tab-stops');
  assert.equal(await page.locator('#panel-stops details.item').count(), problem.stops.length);
  assert.equal(await page.locator('#stale-note').isHidden(), true, 'the reopened plan is its problem\'s answer');
});


// The page's spreadsheet import with an `address` column, in a real headless Chromium against a
// real `tournee serve` whose geocoder is a real addok (`--geocoder-url`): found addresses become
// positions in the editor, an ambiguous one refuses the file with its line and candidates.
// Needs TOURNEE_TEST_ADDOK (scripts/test starts an addok loaded with the addresses of
// monaco-2020 and andorra-2021) and says skipped without it. The last test needs no addok: a
// `tournee serve --osm` on ../shared/osm/monaco-2020.osm.pbf labels a map click with its own
// offline index (skipped when the extract is absent).
//
//   TOURNEE_BIN=target/debug/tournee TOURNEE_TEST_ADDOK=http://127.0.0.1:PORT \
//     node --test tests/browser/addresses.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, startServer } from './serve.mjs';
import { launchChromium } from './chromium.mjs';

const addok = process.env.TOURNEE_TEST_ADDOK;
const artifacts = join(root, 'target/browser-artifacts');

let server;
let browser;
let page;

before(async () => {
  if (!addok) return;
  mkdirSync(artifacts, { recursive: true });
  server = await startServer({ ready: '/v1/demo', args: ['--geocoder-url', addok] });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  page.on('pageerror', (error) => server.note(`[page error] ${error.message}`));
  await page.goto(server.base);
  await page.locator('#timetable .block[data-key]').first().waitFor({ timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** Writes `text` as a CSV file and imports it as the new week. */
async function importCsv(name, text) {
  const file = join(artifacts, name);
  writeFileSync(file, text);
  await page.selectOption('#csv-mode', 'new');
  await page.setInputFiles('#upload-csv', file);
}

test('addresses of a spreadsheet are found by the service and become positions', { skip: !addok && 'TOURNEE_TEST_ADDOK is not set' }, async () => {
  await importCsv('addresses.csv', 'nom;type;adresse;code postal;latitude;longitude\r\n' +
    'Mairie;mairie;15 Avinguda Doctor Mitjavila;AD500;;\r\n' +
    'Marché;marché;;;42.5;1.53\r\n');
  await page.getByText('forment la nouvelle semaine').waitFor();
  await page.click('#tab-stops');
  const lat = Number(await page.locator('input[data-path="/stops/0/location/lat"]').inputValue());
  const lon = Number(await page.locator('input[data-path="/stops/0/location/lon"]').inputValue());
  assert.ok(Math.abs(lat - 42.5095563) < 2e-4 && Math.abs(lon - 1.5306573) < 2e-4, `found at ${lat}, ${lon}`);
  assert.equal(Number(await page.locator('input[data-path="/stops/1/location/lat"]').inputValue()), 42.5);
});

test('an ambiguous address refuses the file, naming its line and the candidates', { skip: !addok && 'TOURNEE_TEST_ADDOK is not set' }, async () => {
  await importCsv('ambiguous.csv', 'name;kind;address\r\nMarché;market;Avinguda Meritxell\r\n');
  const message = page.locator('#load-message');
  await message.getByText('refusé').waitFor();
  const text = await message.innerText();
  assert.match(text, /ligne 2, adresse « Avinguda Meritxell » correspond à plusieurs lieux \(.*Meritxell/);
});

test("a stop's address field suggests addresses as one types, and a choice moves the stop there", { skip: !addok && 'TOURNEE_TEST_ADDOK is not set' }, async () => {
  await importCsv('one-stop.csv', 'nom;type;latitude;longitude\r\nMarché;marché;42.5;1.53\r\n');
  await page.getByText('forment la nouvelle semaine').waitFor();
  await page.click('#tab-stops');
  const stop = page.locator('#panel-stops details.item').first();
  if (!(await stop.evaluate((d) => d.open))) await stop.locator('summary').click();
  const field = page.locator('input[data-path="/stops/0/location/address"]');
  await field.fill('15 avinguda doctor mitjavila');
  const suggestion = page.locator('#address-suggestions option').first();
  await suggestion.waitFor({ state: 'attached' });
  const label = await suggestion.getAttribute('value');
  assert.match(label, /Mitjavila/);
  await field.fill(label);
  await field.press('Tab');
  await page.waitForFunction(() => Number(document.querySelector('input[data-path="/stops/0/location/lat"]')?.value) !== 42.5);
  const lat = Number(await page.locator('input[data-path="/stops/0/location/lat"]').inputValue());
  assert.ok(Math.abs(lat - 42.5095563) < 2e-4, `moved to ${lat}`);
});

test('a click on the map moves the place being edited there, and its address follows', { skip: !addok && 'TOURNEE_TEST_ADDOK is not set' }, async () => {
  // The stop of the previous test, its form open and its address field used. The demo map is
  // Helsinki, where the test addok knows no address: the stale Andorran one is dropped (the
  // label of a known address near the click is covered by the service's reverse test).
  await page.click('#tab-stops');
  const field = page.locator('input[data-path="/stops/0/location/address"]');
  await field.focus();
  assert.match(await field.inputValue(), /Mitjavila/);
  await page.locator('#map').click({ position: { x: 200, y: 200 } });
  await page.waitForFunction(() => document.querySelector('input[data-path="/stops/0/location/address"]')?.value === '');
  const lat = Number(await page.locator('input[data-path="/stops/0/location/lat"]').inputValue());
  assert.ok(lat > 59 && lat < 61, `the stop moved to the point clicked in Helsinki: ${lat}`);
});

const monaco = join(root, '../shared/osm/monaco-2020.osm.pbf');

test("a click on the map labels the place being edited with the nearest address, as the service's reverse gives it", { skip: !existsSync(monaco) && `${monaco} is absent` }, async () => {
  mkdirSync(artifacts, { recursive: true });
  const offline = await startServer({ args: ['--osm', monaco] });
  const chrome = await launchChromium();
  try {
    const tab = await (await chrome.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    tab.on('pageerror', (error) => offline.note(`[page error] ${error.message}`));
    await tab.goto(offline.base);
    await tab.getByText('Ouvrez un problème').waitFor({ timeout: 120_000 });
    const file = join(artifacts, 'monaco-stop.csv');
    writeFileSync(file, 'nom;type;latitude;longitude\r\nMarché;marché;43.7384;7.4246\r\n');
    await tab.selectOption('#csv-mode', 'new');
    await tab.setInputFiles('#upload-csv', file);
    await tab.getByText('forment la nouvelle semaine').waitFor();
    await tab.click('#tab-stops');
    const stop = tab.locator('#panel-stops details.item').first();
    if (!(await stop.evaluate((d) => d.open))) await stop.locator('summary').click();
    const field = tab.locator('input[data-path="/stops/0/location/address"]');
    await field.focus();
    assert.equal(await field.inputValue(), '');

    // The map shows Monaco's roads: its centre is a street of the principality.
    await tab.locator('#map').click();
    await tab.waitForFunction(() => document.querySelector('input[data-path="/stops/0/location/address"]')?.value);
    const label = await field.inputValue();
    const lat = Number(await tab.locator('input[data-path="/stops/0/location/lat"]').inputValue());
    const lon = Number(await tab.locator('input[data-path="/stops/0/location/lon"]').inputValue());
    assert.ok(Math.abs(lat - 43.7384) > 1e-6 || Math.abs(lon - 7.4246) > 1e-6, 'the stop moved to the point clicked');
    const listed = await (await fetch(`${offline.base}/v1/territories`)).json();
    const [territory] = Array.isArray(listed) ? listed : listed.territories;
    const reverse = await (await fetch(`${offline.base}/v1/territories/${territory.id}/reverse?lat=${lat}&lon=${lon}`)).json();
    assert.equal(reverse.features.length, 1, `the service knows an address near ${lat}, ${lon}`);
    assert.equal(label, reverse.features[0].properties.label);
    assert.match(label, /\S+ \S+/, `a written address: ${label}`);
  } finally {
    await chrome.close();
    offline.stop();
  }
});

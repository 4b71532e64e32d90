// The page's spreadsheet import (api/web/js/csv.js) on files as spreadsheets really write them.
// Plain Node, no browser:
//
//   node --test tests/browser/csv.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { parseCsv, decode, clock, days, CSV_TEMPLATE } from '../../api/web/js/csv.js';

/** Windows-1252 bytes of a Latin-1 text, as Excel writes a French CSV. */
function cp1252(text) {
  return Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
}

test("Excel's Windows-1252 file is read with its accents", () => {
  const bytes = cp1252('nom;type;latitude;longitude\r\nMédiathèque;bibliothèque;45.76;4.84\r\n');
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'the file is not UTF-8');
  const { text, encoding } = decode(bytes);
  assert.equal(encoding, 'windows-1252');
  const { stops, errors } = parseCsv(text);
  assert.deepEqual(errors, []);
  assert.equal(stops[0].name, 'Médiathèque');
  assert.equal(stops[0].kind, 'library');
  assert.equal(decode(new TextEncoder().encode('Médiathèque')).encoding, 'utf-8');
});

test('day ranges, French days and times are understood', () => {
  assert.deepEqual(days('lun-ven').days, ['mon', 'tue', 'wed', 'thu', 'fri']);
  assert.deepEqual(days('lundi au mercredi').days, ['mon', 'tue', 'wed']);
  assert.deepEqual(days('sam-lun').days, ['sat', 'sun', 'mon']);
  assert.deepEqual(days('mar, jeu').days, ['tue', 'thu']);
  assert.equal(days('lun-xyz').error, 'lun-xyz');
  assert.equal(clock('7h30'), '07:30');
  assert.equal(clock('7h'), '07:00');
  assert.equal(clock('07:30:00'), '07:30');
  assert.equal(clock('9:05'), '09:05');
  assert.equal(clock('25:00'), null);
  assert.equal(clock('midi'), null);
});

test('French headers and kinds, several ranges a day', () => {
  const file = [
    'nom;type;latitude;longitude;durée;jours;début;fin;horaires',
    'Mairie de Felletin;mairie;45,88;2,17;150;lun-ven;;;9h-12h 14h-17h',
    'Marché;marché;45.88;2.17;240;mer;7h30;12:30:00;',
    'Centre social;partenaire;45.88;2.17;120;mar;09:00;12:00;',
    'visite-9;visite à domicile;45.88;2.17;60;lun;14h;17h;',
  ].join('\n');
  const { stops, homeVisits, errors } = parseCsv(file);
  assert.deepEqual(errors, []);
  assert.deepEqual(stops.map((s) => s.kind), ['town_hall', 'market', 'partner_site']);
  assert.deepEqual(Object.keys(stops[0].opening_hours), ['mon', 'tue', 'wed', 'thu', 'fri']);
  assert.deepEqual(stops[0].opening_hours.thu, [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '17:00' }]);
  assert.deepEqual(stops[1].opening_hours, { wed: [{ start: '07:30', end: '12:30' }] });
  assert.equal(stops[0].location.lat, 45.88);
  assert.deepEqual(homeVisits[0].slots, [{ weekday: 'mon', start: '14:00', end: '17:00' }]);
});

test('a malformed number is refused with its line and column', () => {
  const { errors } = parseCsv('name;kind;lat;lon\nA;market;45.7;24,95O79\nB;market;45.7;4.8\n');
  assert.deepEqual(errors, ['ligne 2, colonne lon : « 24,95O79 » n\'est pas un nombre']);
});

test('a row repeated in the file or already in the problem is refused with its line', () => {
  const file = 'name;kind;lat;lon\nMairie;town_hall;45.7;4.8\n\nMairie;town_hall;45.7;4.8\n';
  const { errors } = parseCsv(file);
  assert.deepEqual(errors, ['ligne 4 : « Mairie » figure déjà ligne 2']);
  const { stops } = parseCsv('name;kind;lat;lon\nMairie;town_hall;45.7;4.8\n');
  const again = parseCsv('name;kind;lat;lon\nMairie;town_hall;45.7;4.8\n', new Set(stops.map((s) => s.id)));
  assert.match(again.errors[0], /^ligne 2 : « Mairie » est déjà dans le problème/);
});

test('a row may give an address instead of a position, and the template shows both', () => {
  const text = 'nom;type;adresse;code postal;commune;latitude;longitude\r\n' +
    'Mairie;mairie;15 Avinguda Doctor Mitjavila;AD500;Andorra la Vella;;\r\n' +
    'Marché;marché;;;;42.5;1.53\r\n';
  const { stops, errors, addresses } = parseCsv(text);
  assert.deepEqual(errors, []);
  assert.deepEqual(stops[0].location, { address: '15 Avinguda Doctor Mitjavila', postcode: 'AD500', city: 'Andorra la Vella' });
  assert.deepEqual(stops[1].location, { lat: 42.5, lon: 1.53 });
  assert.deepEqual(addresses, [{ line: 2, location: stops[0].location }]);
  const onlyAddress = parseCsv('name;kind;address\r\nMairie;town_hall;Place de la Mairie\r\n');
  assert.deepEqual(onlyAddress.errors, []);
  assert.deepEqual(onlyAddress.stops[0].location, { address: 'Place de la Mairie' });
  assert.match(parseCsv('name;kind\r\nMairie;town_hall\r\n').errors[0], /lat, lon.*adresse/);
  const template = parseCsv(CSV_TEMPLATE);
  assert.deepEqual(template.errors, []);
  assert.equal(template.addresses.length, 2);
  assert.ok(template.stops.some((s) => s.location.lat !== undefined), 'a row by position too');
});

// The page's French text for unserved reasons ("Non planifiés"): every code the planning format
// documents has one, and the details (holiday, period, minutes) are shown. Plain Node, no
// browser:
//
//   node --test tests/browser/reasons.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { REASONS, reasonText } from '../../api/web/js/format.js';

const root = resolve(import.meta.dirname, '../..');

/** The codes of the reasons table of docs/planning-format.md, in its order. */
function documentedCodes() {
  const docs = readFileSync(resolve(root, 'docs/planning-format.md'), 'utf8');
  const section = docs.split('### Unserved reasons')[1].split('\n## ')[0];
  return section
    .split('\n')
    .filter((line) => /^\| \d+ \|/.test(line))
    .flatMap((line) => [...line.split(' | ')[1].matchAll(/`([a-z_]+)`/g)].map((m) => m[1]));
}

test('every documented reason code has a French text', () => {
  const codes = documentedCodes();
  assert.ok(codes.length >= 10, `codes read from the docs: ${codes}`);
  for (const code of codes) {
    assert.ok(REASONS[code], `no French text for ${code}`);
    assert.notEqual(reasonText({ code }, 'english'), 'english', code);
  }
});

test('a closed day names the holiday, in French for listed closures', () => {
  assert.equal(reasonText({ code: 'closed_date', detail: 'Ascension' }, ''), 'jour fermé (Ascension)');
  assert.equal(
    reasonText({ code: 'closed_date', detail: 'Ascension, closed date' }, ''),
    'jour fermé (Ascension, fermeture)',
  );
  assert.equal(reasonText({ code: 'closed_in_period', detail: 'été' }, ''), 'fermé pendant la période été');
});

test("a slot too short says whether the units' hours cut it, with the minutes", () => {
  const hours = reasonText({
    code: 'slot_too_short',
    detail: {
      open: { start: '07:30', end: '12:30' },
      unit_hours: { start: '08:30', end: '17:30' },
      drive_min: 6,
      needed_min: 240,
      available_min: 234,
    },
  }, '');
  assert.equal(
    hours,
    'créneau trop court : ouvert 07:30–12:30 mais les unités travaillent de 08:30 à 17:30 et sont à 6 min : '
      + '240 min nécessaires, 234 disponibles',
  );
  const opening = reasonText({
    code: 'slot_too_short',
    detail: { open: { start: '09:00', end: '10:00' }, needed_min: 120, available_min: 60 },
  }, '');
  assert.match(opening, /\(09:00–10:00\) est plus courte que la visite : 120 min nécessaires, 60 disponibles/);
  assert.equal(reasonText({ code: 'slot_too_short' }, ''), 'créneau trop court');
});

test("an unknown code shows the server's message", () => {
  assert.equal(reasonText({ code: 'something_new' }, 'the message'), 'the message');
  assert.equal(reasonText(undefined, 'the message'), 'the message');
});

test('a place off the roads gives the nearest road of each network tried', () => {
  const text = reasonText({
    code: 'off_road',
    detail: {
      field: '/home_visits/0/location',
      tried: [
        { kind: 'car', nearest_m: 70214, limit_m: 500 },
        { kind: 'bus', nearest_m: null, limit_m: 500 },
      ],
    },
  }, '');
  assert.equal(
    text,
    'trop loin des routes des unités autorisées : aucune route praticable en voiture à moins de 500 m '
      + `(la plus proche à ${(70214).toLocaleString('fr-FR')} m) ; `
      + 'aucune route praticable en bus à moins de 500 m (aucune sur le réseau)',
  );
});

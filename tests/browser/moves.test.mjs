// The rules of moving a stop's visit (api/web/js/moves.js). Plain Node:
//
//   node --test tests/browser/moves.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { moveRefusal, pinsAfterMove } from '../../api/web/js/moves.js';

const day = [{ start: '09:00', end: '17:00' }];
const problem = (weeks = 1) => ({
  horizon: { start: '2026-12-07', weeks },
  units: [
    { id: 'tri', name: 'Triporteur', kind: 'triporteur', hours: { mon: day, tue: day, wed: day, thu: day, fri: day } },
    { id: 'cc', name: 'Camping-car', kind: 'camping_car', hours: { tue: day, wed: day, thu: day } },
  ],
  stops: [
    { id: 'halle', name: 'Vieille halle', opening_hours: { tue: day, fri: day }, allowed_units: ['triporteur'] },
    { id: 'centre', name: 'Centre social', opening_hours: { mon: day, wed: day, fri: day }, equipment: ['imprimante'] },
  ],
  commitments: { pinned: [{ stop: 'halle', unit: 'tri', weekday: 'tue', start: '09:00' }] },
});

test('a move is refused with the reason the planner would have', () => {
  const p = problem();
  assert.equal(moveRefusal(p, 'halle', 'tri', 'mon'), 'Déplacement refusé : « Vieille halle » est fermé le lundi.');
  assert.match(moveRefusal(p, 'halle', 'cc', 'tue'), /n’accepte pas Camping-car \(triporteur seulement\)/);
  assert.match(moveRefusal(p, 'centre', 'tri', 'mon'), /Triporteur n’a pas imprimante/);
  p.units[1].equipment = ['imprimante'];
  assert.equal(moveRefusal(p, 'centre', 'cc', 'mon'), 'Déplacement refusé : Camping-car ne travaille pas le lundi.');
  assert.equal(moveRefusal(p, 'centre', 'cc', 'wed'), '');
  assert.match(moveRefusal(p, 'gone', 'cc', 'wed'), /n’est plus dans le problème/);
});

test('moving one visit pins the stop’s other visits where they are, and only this stop’s pins change', () => {
  const p = problem();
  const blocks = [
    { key: 'tri|2026-12-07|centre', kind: 'stop', id: 'centre', unit: 'tri', date: '2026-12-07', start: '10:00' },
    { key: 'tri|2026-12-11|centre', kind: 'stop', id: 'centre', unit: 'tri', date: '2026-12-11', start: '13:20' },
    { key: 'tri|2026-12-08|halle', kind: 'stop', id: 'halle', unit: 'tri', date: '2026-12-08', start: '09:00' },
  ];
  const pins = pinsAfterMove(p, blocks, blocks[0], 'cc', '2026-12-09', '10:00');
  assert.deepEqual(pins, [
    { stop: 'halle', unit: 'tri', weekday: 'tue', start: '09:00' },
    { stop: 'centre', unit: 'tri', weekday: 'fri', start: '13:20' },
    { stop: 'centre', unit: 'cc', weekday: 'wed', start: '10:00' },
  ]);
  const twoWeeks = pinsAfterMove(problem(2), blocks, blocks[1], 'tri', '2026-12-16', '13:20');
  assert.deepEqual(twoWeeks.slice(1), [
    { stop: 'centre', unit: 'tri', weekday: 'mon', start: '10:00', weeks: [1] },
    { stop: 'centre', unit: 'tri', weekday: 'wed', start: '13:20', weeks: [2] },
  ]);
});

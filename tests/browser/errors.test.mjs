// The page's French for the service's validation messages (api/web/js/errors.js). Plain Node:
//
//   node --test tests/browser/errors.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { frenchMessage } from '../../api/web/js/errors.js';

test('the messages dispatchers met are in French', () => {
  assert.equal(frenchMessage('ends (09:00) before it starts (10:00)'), 'la fin (9 h 00) est avant le début (10 h 00)');
  assert.equal(frenchMessage('invalid value: integer `-30`, expected u16'), '« -30 » : un nombre entier positif est attendu');
  assert.equal(frenchMessage('missing field `start`'), 'le champ « début » manque');
  assert.equal(
    frenchMessage('/home_visits/0/location: no road the car may use within 500 m (nearest at 1908787 m)'),
    'aucune route praticable à moins de 500 m (la plus proche à 1\u202f908\u202f787 m)',
  );
  assert.equal(frenchMessage('"mairie" is used twice'), 'l’identifiant « mairie » est utilisé deux fois');
  assert.equal(frenchMessage('sat is not a working day'), 'le samedi n’est pas un jour travaillé');
  assert.equal(frenchMessage('market is closed on wed'), '« market » est fermé le mercredi');
  assert.equal(frenchMessage('car does not work on fri'), '« car » ne travaille pas le vendredi');
});

test('a message the page does not know is shown as the service wrote it', () => {
  assert.equal(frenchMessage('something new'), 'something new');
  assert.equal(frenchMessage(undefined), '');
});

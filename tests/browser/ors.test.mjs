// openrouteservice's own JavaScript client (npm `openrouteservice-js`, unchanged) against a real
// `tournee serve` on the demo extract (central Helsinki): its Optimization.optimize() posts
// VROOM's input to `${host}/optimization` with the API key as a bare `Authorization` header.
//
//   TOURNEE_BIN=target/debug/tournee node --test tests/browser/ors.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Openrouteservice from 'openrouteservice-js';
import { root, startServer } from './serve.mjs';

const extract = join(root, 'api/demo/helsinki.osm.pbf');
const key = 'ors-client-key';
/** The client's own timeout (5 s by default) is raised for a debug build. */
const timeout = 60_000;

let open;
let guarded;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tournee-ors-'));
  const cacheDir = join(dir, 'cache');
  open = await startServer({ args: ['--osm', extract], cacheDir });
  const tokens = join(dir, 'tokens');
  writeFileSync(tokens, `sha256:${createHash('sha256').update(key).digest('hex')}\n`);
  guarded = await startServer({ args: ['--osm', extract, '--auth-tokens', tokens], cacheDir });
});

after(() => {
  open?.stop();
  guarded?.stop();
});

const hour = 3600;
/** Central Helsinki, `[lon, lat]` as VROOM wants: a depot and seven places to visit. */
const depot = [24.9425769, 60.1674098];
const places = [
  [24.9380965, 60.1735368], [24.9462693, 60.166138], [24.9527306, 60.1682793], [24.9527918, 60.1661445],
  [24.9516308, 60.1788116], [24.9364916, 60.1689567], [24.9395952, 60.1647906],
];

/** A cargo tricycle and a car from the depot, 8:30 to 17:00; job 7 needs a skill neither has. */
function helsinkiDay() {
  return {
    vehicles: [
      { id: 1, profile: 'cycling-electric', start: depot, end: depot, time_window: [8.5 * hour, 17 * hour],
        skills: [1], capacity: [4], breaks: [{ id: 1, service: 45 * 60, time_windows: [[12 * hour, 14 * hour]] }] },
      { id: 2, profile: 'driving-car', start: depot, end: depot, time_window: [8.5 * hour, 17 * hour],
        skills: [1], capacity: [4] },
    ],
    jobs: places.map((location, i) => ({
      id: i + 1,
      location,
      service: 45 * 60,
      delivery: [1],
      skills: i === 6 ? [2] : [1],
      time_windows: i < 2 ? [[9 * hour, 11 * hour]] : [[8.5 * hour, 17 * hour]],
    })),
  };
}

/** Checks a VROOM answer: every job served once or listed unassigned, steps from start to end
 * with each arrival the previous one plus waiting, service and the travel between them. */
function checkAnswer(input, answer) {
  assert.equal(answer.code, 0);
  const served = answer.routes.flatMap((r) => r.steps.filter((s) => s.type === 'job').map((s) => s.id));
  const unassigned = answer.unassigned.map((u) => u.id);
  assert.deepEqual([...served, ...unassigned].sort((a, b) => a - b), input.jobs.map((j) => j.id).sort((a, b) => a - b));
  assert.equal(answer.summary.unassigned, unassigned.length);
  for (const route of answer.routes) {
    const vehicle = input.vehicles.find((v) => v.id === route.vehicle);
    const steps = route.steps;
    assert.equal(steps[0].type, 'start');
    assert.equal(steps.at(-1).type, 'end');
    if (vehicle.time_window) {
      assert.ok(steps[0].arrival >= vehicle.time_window[0] && steps.at(-1).arrival <= vehicle.time_window[1],
        `vehicle ${vehicle.id} works from ${steps[0].arrival} to ${steps.at(-1).arrival}`);
    }
    for (let k = 1; k < steps.length; k += 1) {
      const [a, b] = [steps[k - 1], steps[k]];
      assert.equal(b.arrival, a.arrival + a.waiting_time + a.service + (b.duration - a.duration),
        `vehicle ${vehicle.id}, step ${k} (${b.type} ${b.id ?? ''}) arrives when the previous one ends plus the travel`);
    }
    for (const step of steps.filter((s) => s.type === 'job')) {
      const job = input.jobs.find((j) => j.id === step.id);
      const start = step.arrival + step.waiting_time;
      if (job.time_windows) {
        assert.ok(job.time_windows.some(([lo, hi]) => lo <= start && start <= hi), `job ${job.id} starts at ${start}`);
      }
      assert.ok((job.skills ?? []).every((s) => (vehicle.skills ?? []).includes(s)), `job ${job.id} on vehicle ${vehicle.id}`);
    }
    assert.equal(route.duration, steps.at(-1).duration);
  }
}

test('optimize() with coordinates on the loaded territory, without a key when access is open', async () => {
  const client = new Openrouteservice.Optimization({ host: open.base, timeout });
  const input = helsinkiDay();
  const answer = await client.optimize(input);
  checkAnswer(input, answer);
  assert.deepEqual(answer.unassigned.map((u) => [u.id, u.type]), [[7, 'job']], 'only the job needing skill 2 is left out');
  assert.deepEqual(answer.unassigned[0].location, places[6]);
  assert.ok(answer.routes.every((r) => r.distance > 0));
  // The client posted to /optimization: the service counts requests by route.
  const metrics = await (await fetch(`${open.base}/metrics`)).text();
  assert.match(metrics, /route="\/optimization",status="200"/);
});

test('optimize() with custom matrices: VROOM documentation example', async () => {
  const client = new Openrouteservice.Optimization({ host: open.base, timeout });
  const durations = [
    [0, 2104, 197, 959, 1975, 436, 418, 1299],
    [2103, 0, 2255, 2812, 1455, 2539, 1685, 3152],
    [197, 2256, 0, 762, 2172, 633, 570, 1102],
    [959, 2813, 762, 0, 2934, 1395, 1127, 340],
    [1975, 1456, 2172, 2934, 0, 2020, 2169, 3274],
    [435, 2539, 632, 1394, 2019, 0, 853, 1734],
    [418, 1686, 570, 1127, 2169, 854, 0, 1467],
    [1299, 3153, 1102, 340, 3274, 1735, 1467, 0],
  ];
  const input = {
    vehicles: [{ id: 0, profile: 'driving-car', start_index: 0, end_index: 7 }],
    jobs: [1, 2, 3, 4, 5, 6].map((i) => ({ id: i, location_index: i })),
    matrices: { 'driving-car': { durations } },
  };
  const answer = await client.optimize(input);
  checkAnswer(input, answer);
  assert.equal(answer.summary.cost, 7268, 'VROOM documents this cost');
  assert.deepEqual(answer.routes[0].steps.map((s) => s.location_index), [0, 5, 4, 1, 6, 2, 3, 7]);
});

test('an unknown profile is refused with the field, as a client error', async () => {
  const client = new Openrouteservice.Optimization({ host: open.base, timeout });
  const input = helsinkiDay();
  input.vehicles[1].profile = 'wheelchair';
  const error = await client.optimize(input).then(() => null, (e) => e);
  assert.ok(error, 'the client rejects');
  assert.equal(error.status, 422);
  const body = await error.response.json();
  assert.equal(body.code, 2);
  assert.equal(body.error.field, '/vehicles/1/profile');
});

test('with --auth-tokens the client\'s api_key (sent bare) is the token', async () => {
  const input = helsinkiDay();
  const answer = await new Openrouteservice.Optimization({ host: guarded.base, api_key: key, timeout }).optimize(input);
  checkAnswer(input, answer);
  for (const client of [
    new Openrouteservice.Optimization({ host: guarded.base, api_key: 'not-the-key', timeout }),
    new Openrouteservice.Optimization({ host: guarded.base, timeout }),
  ]) {
    const error = await client.optimize(helsinkiDay()).then(() => null, (e) => e);
    assert.equal(error?.status, 401);
  }
});

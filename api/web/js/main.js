// The dispatcher's page: wires the API, the editor, the map, the timetable and the exports.

import { api, access, ApiError, downloadWithToken, exportUrls, request } from './api.js';
import { setUpAttendance } from './attendance.js';
import { setUpPublishing } from './publish.js';
import { Editor, weekdays } from './editor.js';
import { parseCsv, decode, CSV_TEMPLATE } from './csv.js';
import { suggestAddresses } from './places.js';
import { planChanges, warningTexts } from './changes.js';
import { store } from './store.js';
import { renderDayList } from './daylist.js';
import { moveRefusal, pinsAfterMove } from './moves.js';
import { frenchMessage } from './errors.js';
import { PlanMap } from './map.js';
import { Timetable } from './timetable.js';
import { renderKpis, renderUnitFilter, renderUnitTotals, renderSheet } from './report.js';
import { COLOURS, STOP_KINDS, cycleDates, escapeHtml, dayLabel, reasonText, plural, numberFr, slug } from './format.js';

const $ = (id) => document.getElementById(id);

const state = {
  territories: [],
  territory: null,
  problem: null,
  jobId: null,
  plan: null,
  polling: null,
  coverage: null,
  /** The plan re-plans are compared with (`{jobId, plan}`): the one the dispatcher put in force. */
  inForce: null,
  /** What each move or pin replaced, newest last, so that it can be undone. */
  undo: [],
  /** Units the dispatcher has filtered out of the map and the timetable. */
  hidden: new Set(),
  /** The shown plan's routes along the roads (GeoJSON), once fetched. */
  geojson: null,
};

const editor = new Editor(
  { units: $('panel-units'), stops: $('panel-stops'), homes: $('panel-homes') },
  () => state.problem,
  () => {
    $('edit-message').textContent = '';
    changed();
  },
);
const pointOnMap = suggestAddresses(
  { stops: $('panel-stops'), homes: $('panel-homes') },
  () => state.territory?.id,
  () => state.problem,
  () => {
    editor.render();
    changed();
  },
);
const map = new PlanMap($('map'), (key) => select(key));
map.onPoint = pointOnMap;
// A visit hovered on the map lights up in the timetable, and the other way round.
map.onHover = (key) => timetable.highlight(key, { scroll: false });
const timetable = new Timetable($('timetable'), {
  select: (key) => select(key),
  move: (visit, unit, date) => move(visit, unit, date, visit.start),
  dialog: (visit) => openMoveDialog(visit),
  pin: (visit) => togglePin(visit),
  hover: (key) => map.highlight(key, { pan: false }),
});

const attendance = setUpAttendance({
  inForce: () => state.inForce,
  problem: () => state.problem,
  territory: () => state.territory?.id,
  apply: (jobId) => applyPlan(jobId),
});

function say(id, text, isError = false) {
  $(id).textContent = text;
  $(id).classList.toggle('error', isError);
}

/** The problem changed: keep it, and mark the plan on screen as no longer its answer. */
function changed() {
  store.problem = state.problem;
  markStale('Le problème a changé depuis ce planning : replanifiez pour le mettre à jour.');
}

/** Marks the plan on screen as out of date (or fresh, with no text): its figures and exports dim. */
function markStale(text) {
  const results = $('results');
  if (!state.plan) text = '';
  results.classList.toggle('stale', Boolean(text));
  $('stale-note').hidden = !text;
  $('stale-note').textContent = text;
  for (const link of $('exports').querySelectorAll('a, button')) {
    if (text) link.setAttribute('aria-disabled', 'true');
    else link.removeAttribute('aria-disabled');
  }
}

function colourOf(unitId) {
  const index = state.problem?.units.findIndex((u) => u.id === unitId) ?? -1;
  return COLOURS[(index < 0 ? 0 : index) % COLOURS.length];
}

// ---- territories -------------------------------------------------------------------------

async function loadTerritories() {
  const answer = await api.territories();
  // Territories other instances hold take jobs but have no roads or sites to show here.
  const all = Array.isArray(answer) ? answer : answer.territories || [];
  state.territories = all.filter((t) => t.here !== false);
  $('territory').innerHTML = state.territories
    .map((t) => `<option value="${escapeHtml(t.id)}">${escapeHtml(t.name || t.id)}</option>`).join('');
  if (state.territories.length) await chooseTerritory(state.territories[0].id);
}

async function chooseTerritory(id) {
  state.territory = state.territories.find((t) => t.id === id) || null;
  $('territory').value = id;
  if (state.problem) state.problem.territory = { extract: id };
  try {
    map.showTerritory(await api.roads(id), document.body.dataset.tileUrl || null, state.territory?.bbox);
  } catch (error) {
    say('load-message', `Réseau routier indisponible : ${error.message}`, true);
  }
}

function territoryCentre() {
  const b = state.territory?.bbox;
  return b ? { lat: (b[1] + b[3]) / 2, lon: (b[0] + b[2]) / 2 } : { lat: 46.6, lon: 2.4 };
}

function nextMonday() {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

function emptyProblem() {
  return {
    name: `Semaine du ${nextMonday()}`,
    horizon: { start: nextMonday(), weeks: 1 },
    territory: { extract: state.territory?.id },
    units: [{
      id: 'unite-1', name: 'Unité 1', kind: 'car', depot: territoryCentre(), hours: weekdays('09:00', '17:00'),
      lunch: { window: { start: '12:00', end: '14:00' }, duration_min: 60 },
    }],
    stops: [],
    home_visits: [],
    commitments: { pinned: [] },
    solver: { time_limit_s: 10 },
  };
}

// ---- loading a problem ----------------------------------------------------------------------

function setProblem(problem, message) {
  state.problem = problem;
  problem.commitments ??= { pinned: [] };
  problem.commitments.pinned ??= [];
  state.undo = [];
  $('undo').disabled = true;
  editor.render();
  changed();
  say('load-message', message);
}

/** Saves the problem being edited as a JSON file the page (or `tournee plan`) can open again. */
function downloadProblem() {
  if (!state.problem) return;
  const { previous_plan: _previous, ...commitments } = state.problem.commitments || {};
  const problem = { ...state.problem, commitments };
  const name = slug(state.problem.name || 'probleme');
  const saver = document.createElement('a');
  saver.href = URL.createObjectURL(new Blob([JSON.stringify(problem, null, 2)], { type: 'application/json' }));
  saver.download = `tournee-${name || 'probleme'}.json`;
  saver.click();
}

async function openDemo() {
  const demo = await api.demo();
  if (demo.territory) await chooseTerritory(demo.territory);
  putInForce(null);
  setProblem(demo.problem, 'Semaine de démonstration chargée.');
  if (demo.plan_id) await follow(demo.plan_id);
}

async function uploadJson(file) {
  const text = await file.text();
  try {
    const problem = JSON.parse(text);
    if (!Array.isArray(problem.units)) throw new Error('le champ « units » (liste des unités) manque');
    if (state.territory) problem.territory = { extract: state.territory.id };
    putInForce(null);
    setProblem(problem, `« ${file.name} » chargé : ${problem.units.length} unité(s), ${(problem.stops || []).length} arrêt(s), ${(problem.home_visits || []).length} visite(s).`);
  } catch (error) {
    say('load-message', `« ${file.name} » n'est pas un problème lisible : ${error.message}`, true);
  }
}

/**
 * Imports a spreadsheet: "Nouvelle semaine" makes its rows the week's stops and visits (units
 * and dates kept), "Ajouter au problème" adds them; a row repeating one already there is refused
 * with its line.
 */
async function uploadCsv(file) {
  const adding = $('csv-mode').value === 'add';
  const { text, encoding } = decode(new Uint8Array(await file.arrayBuffer()));
  const current = state.problem || emptyProblem();
  const known = adding ? new Set([...(current.stops || []), ...(current.home_visits || [])].map((x) => x.id)) : new Set();
  const { stops, homeVisits, errors, addresses } = parseCsv(text, known);
  if (!errors.length && addresses.length) errors.push(...await findAddresses(addresses));
  if (errors.length) {
    say('load-message', `« ${file.name} » refusé — ${errors.join(' ; ')}`, true);
    return;
  }
  const problem = current;
  if (adding) {
    problem.stops = [...(problem.stops || []), ...stops];
    problem.home_visits = [...(problem.home_visits || []), ...homeVisits];
  } else {
    problem.stops = stops;
    problem.home_visits = homeVisits;
    problem.commitments = { pinned: [] };
    putInForce(null);
  }
  const read = encoding === 'windows-1252' ? ' (fichier Excel Windows-1252 converti)' : '';
  setProblem(problem, `${plural(stops.length, 'arrêt', 'arrêts')} et ${plural(homeVisits.length, 'visite', 'visites')} ` +
    `${adding ? 'ajoutés au problème' : 'forment la nouvelle semaine'}, de « ${file.name} »${read}.`);
}

const MATCH_REASONS = {
  ambiguous: 'correspond à plusieurs lieux',
  low_confidence: 'ne correspond à rien de sûr',
  not_found: 'introuvable',
};

/**
 * Finds the spreadsheet's addresses with the service's geocoder (one batch), writing each
 * position, label and score into its location; returns one message per address not taken, with
 * its line and best candidates (the rule the service applies to a submitted problem).
 */
async function findAddresses(addresses) {
  if (!state.territory) return ['des adresses ne se trouvent que sur un territoire : choisissez-en un'];
  const queries = addresses.map(({ location }) => ({ q: location.address, postcode: location.postcode, city: location.city }));
  let answer;
  try {
    answer = await api.geocodeBatch(state.territory.id, queries);
  } catch (error) {
    return [`adresses non cherchées : ${error.message}`];
  }
  const failed = [];
  answer.results.forEach((result, i) => {
    const { line, location } = addresses[i];
    const best = result.features[0];
    if (result.match === 'found') {
      const [lon, lat] = best.geometry.coordinates;
      Object.assign(location, { lat, lon, label: best.properties.label, score: best.properties.score });
    } else {
      const candidates = result.features.slice(0, 3).map((f) => f.properties.label).join(', ');
      failed.push(`ligne ${line}, adresse « ${location.address} » ${MATCH_REASONS[result.match]}${candidates ? ` (${candidates})` : ''} : précisez le code postal ou la commune, ou donnez latitude et longitude`);
    }
  });
  return failed;
}

const POI_KINDS = {
  marketplace: 'market', library: 'library', townhall: 'town_hall', community_centre: 'partner_site', social_facility: 'partner_site',
};

async function openPois() {
  const pois = await api.pois(state.territory.id);
  const features = (pois.features || []).filter((f) => POI_KINDS[f.properties?.kind]);
  $('poi-list').innerHTML = features.map((f, i) => {
    const kind = POI_KINDS[f.properties.kind];
    return `<li><label><input type="checkbox" value="${i}"> ${escapeHtml(f.properties.name || '(sans nom)')} <small>${STOP_KINDS[kind]}</small></label></li>`;
  }).join('') || '<li>Aucun lieu trouvé dans cet extrait.</li>';
  $('pois').hidden = false;
  $('pois').dataset.features = JSON.stringify(features);
}

function addPois() {
  const features = JSON.parse($('pois').dataset.features || '[]');
  const chosen = [...$('poi-list').querySelectorAll('input:checked')].map((box) => features[Number(box.value)]);
  const problem = state.problem || emptyProblem();
  for (const f of chosen) {
    const kind = POI_KINDS[f.properties.kind];
    const [lon, lat] = f.geometry.coordinates;
    problem.stops.push({
      id: `poi-${String(f.properties.osm_id || problem.stops.length).replace('/', '-')}`,
      name: f.properties.name || STOP_KINDS[kind], kind, location: { lat, lon },
      // A market's day is rarely tagged: Wednesday morning until the dispatcher says otherwise.
      opening_hours: kind === 'market' ? { wed: [{ start: '08:00', end: '13:00' }] } : weekdays('09:00', '17:00'),
      duration: { minutes: kind === 'market' ? 240 : 150 }, frequency: { visits: 1 },
    });
  }
  setProblem(problem, `${chosen.length} lieu(x) ajouté(s) ; vérifiez leurs horaires dans « Arrêts ».`);
  $('pois').hidden = true;
}

// ---- earlier plans ----------------------------------------------------------------------

/** Fills the list of the service's finished plans, newest first. */
async function listEarlierPlans() {
  const answer = await api.plans();
  const when = (t) => new Date(t).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
  $('earlier-plans').innerHTML = '<option value="">—</option>' + (answer.jobs || []).map((job) =>
    `<option value="${escapeHtml(job.id)}">${escapeHtml(when(job.finished_at || job.created_at))}${job.territory ? ` · ${escapeHtml(job.territory)}` : ''} · ${escapeHtml(job.id.slice(0, 8))}</option>`).join('');
}

/** Reopens a finished plan of the service with the problem it was made from. */
async function reopen() {
  const id = $('earlier-plans').value;
  if (!id) return;
  const [problem, job] = await Promise.all([api.problemOf(id), api.job(id)]);
  if (problem.territory?.extract && state.territories.some((t) => t.id === problem.territory.extract)) {
    await chooseTerritory(problem.territory.extract);
  }
  putInForce(null);
  setProblem(problem, `Planning « ${problem.name || id} » rouvert.`);
  state.jobId = id;
  await showPlan(job.plan);
  markStale('');
}

// ---- coverage ------------------------------------------------------------------------------

async function runCoverage() {
  const budget = Number.parseInt($('coverage-budget').value, 10);
  const request = {
    territory: state.territory.id,
    minutes: Number($('coverage-minutes').value),
    mode: $('coverage-mode').value,
    unit: $('coverage-unit').value,
    ...(budget > 0 ? { budget, model: 'max' } : {}),
    time_limit_s: 20,
  };
  say('coverage-message', 'Calcul en attente…');
  $('coverage-add').disabled = true;
  $('coverage-run').disabled = true;
  try {
    // A coverage run is a job like a plan: follow it until it ends, showing the first answer.
    let job = await api.coverage(request);
    while (!['done', 'failed', 'cancelled'].includes(job.status)) {
      const first = job.progress?.coverage;
      if (first?.sites) map.showCoverage(firstAnswerMap(first));
      say('coverage-message', job.status === 'queued' ? 'Calcul en attente…' : first
        ? `Première réponse : ${first.stops} arrêt(s) pour ${Math.round(first.covered_population)} habitants ; amélioration en cours…`
        : 'Calcul des temps d’accès sur le réseau…');
      job = await api.coverageJob(job.id, 5);
    }
    if (job.status !== 'done') {
      const error = job.error || {};
      say('coverage-message', job.status === 'cancelled' ? 'Calcul annulé.'
        : `Couverture impossible : ${error.message || 'raison inconnue'}${error.field ? ` (${error.field})` : ''}`, true);
      return;
    }
    const answer = job.coverage;
    state.coverage = answer;
    map.showCoverage(answer.geojson);
    const r = answer.report;
    say('coverage-message', `${r.answer.stops} arrêt(s) couvrent ${Math.round(100 * r.answer.covered_share)} % des habitants ` +
      `à moins de ${request.minutes} min (${r.status === 'optimal' ? 'optimum prouvé' : `écart ${Math.round(100 * (r.gap || 0))} %`}).`);
    $('coverage-add').disabled = false;
  } catch (error) {
    // An access refusal goes to guard(), which asks for the token.
    if (error instanceof ApiError && error.status === 401) throw error;
    say('coverage-message', `Couverture impossible : ${error.message}${error.field ? ` (${error.field})` : ''}`, true);
  } finally {
    $('coverage-run').disabled = false;
  }
}

/** The greedy answer's sites as a map layer, shown while the models improve it. */
function firstAnswerMap(first) {
  return {
    type: 'FeatureCollection',
    features: first.sites.map((site) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [site.lon, site.lat] },
      properties: { layer: 'site', name: site.name },
    })),
  };
}

function addCoverageStops() {
  const chosen = state.coverage?.problem?.stops || [];
  const problem = state.problem || emptyProblem();
  const known = new Set(problem.stops.map((s) => s.id));
  const fresh = chosen.filter((s) => !known.has(s.id));
  problem.stops.push(...fresh);
  setProblem(problem, `${fresh.length} arrêt(s) de la couverture ajouté(s) ; vérifiez leurs horaires dans « Arrêts ».`);
}

// ---- solving -------------------------------------------------------------------------------

async function plan() {
  if (!state.problem) return say('edit-message', 'Ouvrez ou créez d’abord un problème.', true);
  markStale('Calcul en cours : ce planning est celui d’avant.');
  editor.showViolations([]);
  say('edit-message', '');
  try {
    const job = await api.submit(state.problem);
    await follow(job.id);
  } catch (error) {
    if (error instanceof ApiError && error.violations.length) {
      const rest = editor.showViolations(error.violations);
      say('edit-message', `Le problème contient ${error.violations.length} erreur(s), signalée(s) à côté des champs.` +
        (rest.length ? ` ${rest.map((v) => `${v.field || ''} : ${frenchMessage(v.message)}`).join(' ; ')}` : ''), true);
    } else {
      say('edit-message', `Envoi impossible : ${error.message}`, true);
    }
  }
}

async function follow(jobId) {
  state.jobId = jobId;
  clearTimeout(state.polling);
  $('cancel').disabled = false;
  $('plan').disabled = true;
  const tick = async () => {
    let job;
    try {
      job = await api.job(jobId);
    } catch (error) {
      finish(`Suivi interrompu : ${error.message}`, true);
      return;
    }
    const p = job.progress || {};
    const limit = p.time_limit_s || state.problem?.solver?.time_limit_s || 10;
    $('progress').value = Math.min(1, (p.elapsed_s || 0) / limit);
    // The solver counts 1/100,000 euro (optimizer's COST_UNITS_PER_EURO).
    const cost = p.best ? p.best.cost / 100_000 : null;
    const status = { queued: 'en attente', running: 'en cours', done: 'terminé', failed: 'échec', cancelled: 'annulé' }[job.status] || job.status;
    say('progress-text', `${status} — ${Math.round(p.elapsed_s || 0)} s sur ${Math.round(limit)} s` +
      (cost != null ? `, meilleur coût ${numberFr(Math.round(cost))} €` : ''));
    if (job.status === 'done') {
      $('progress').value = 1;
      await showPlan(job.plan);
      markStale('');
      listEarlierPlans().catch(() => {});
      if (state.focusAfterPlan) refocus(state.focusAfterPlan);
      else if (document.activeElement === document.body) $('plan').focus();
      state.focusAfterPlan = null;
      document.body.dataset.plansShown = String(Number(document.body.dataset.plansShown || 0) + 1);
      finish(`Planning prêt : ${job.plan.totals.stop_visits_planned}/${job.plan.totals.stop_visits_required} passages, ${job.plan.totals.home_visits_planned}/${job.plan.totals.home_visits_requested} visites.`);
    } else if (job.status === 'failed' || job.status === 'cancelled') {
      finish(job.status === 'failed' ? `Échec : ${job.error?.message || job.error || 'raison inconnue'}` : 'Calcul annulé.', job.status === 'failed');
      markStale(job.status === 'failed'
        ? 'Le calcul a échoué : ce planning est celui d’avant la modification.'
        : 'Calcul annulé : ce planning est celui d’avant la modification.');
    } else {
      state.polling = setTimeout(tick, 400);
    }
  };
  await tick();
}

function finish(message, isError = false) {
  $('cancel').disabled = true;
  $('plan').disabled = false;
  say('progress-text', message, isError);
}

async function cancel() {
  if (!state.jobId) return;
  try {
    await api.cancel(state.jobId);
  } catch (error) {
    say('progress-text', `Annulation impossible : ${error.message}`, true);
  }
}

// ---- showing the plan -------------------------------------------------------------------

function blocksOf(planned) {
  const pins = state.problem.commitments?.pinned || [];
  const stops = new Map((state.problem.stops || []).map((s) => [s.id, s]));
  const homes = new Map((state.problem.home_visits || []).map((h) => [h.id, h]));
  const blocks = [];
  for (const route of planned.routes) {
    route.steps.forEach((step, i) => {
      const base = { unit: route.unit, date: route.date, weekday: route.weekday, week: route.week, start: step.start, end: step.end };
      if (step.type === 'break') {
        blocks.push({ ...base, key: `${route.unit}|${route.date}|pause${i}`, kind: 'break' });
        return;
      }
      const place = step.kind === 'stop' ? stops.get(step.id) : homes.get(step.id);
      blocks.push({
        ...base, key: `${route.unit}|${route.date}|${step.id}`, kind: step.kind, id: step.id,
        title: step.kind === 'stop' ? (place?.name || step.id) : `Visite à domicile ${step.id}`,
        location: place?.location,
        pinned: pins.some((p) => p.stop === step.id && p.unit === route.unit && p.weekday === route.weekday &&
          (!p.weeks?.length || p.weeks.includes(route.week))),
      });
    });
  }
  return blocks;
}

async function showPlan(planned) {
  // The block (or the stop's block) that had the focus keeps it through the new rendering,
  // rather than the focus falling back to the top of the page.
  const focused = document.activeElement?.closest?.('#timetable .block[data-key]')?.dataset.key;
  state.plan = planned;
  state.geojson = null;
  renderTimetable();
  if (focused) refocus(focused);
  try {
    state.geojson = await api.geojson(state.jobId);
  } catch (error) {
    say('progress-text', `Tracés indisponibles : ${error.message}`, true);
  }
  drawMap();
  $('unit-filter').innerHTML = renderUnitFilter(planned, state.problem, colourOf, state.hidden);
  $('kpis').innerHTML = renderKpis(planned);
  $('unit-totals').innerHTML = renderUnitTotals(planned, state.problem, colourOf);
  $('unserved').innerHTML = planned.unserved.map((u) => {
    const name = u.kind === 'stop' ? (state.problem.stops.find((s) => s.id === u.id)?.name || u.id) : `Visite à domicile ${u.id}`;
    const reason = reasonText(u.reason, u.message);
    return `<li><strong>${escapeHtml(name)}</strong>${u.date ? ` (${escapeHtml(dayLabel(u.date))})` : ''} : ${escapeHtml(reason)}</li>`;
  }).join('') || '<li>Tout est planifié.</li>';
  if (!state.inForce) putInForce({ jobId: state.jobId, plan: planned });
  const inForce = state.inForce.jobId === state.jobId;
  $('adopt').disabled = inForce;
  $('changes').innerHTML = inForce ? '<li>Ce planning est celui en vigueur.</li>'
    : planChanges(state.inForce.plan, planned, state.problem)
      .map((c) => `<li data-kind="${c.kind}"><strong>${escapeHtml(c.name)}</strong> : ${escapeHtml(c.text)}</li>`)
      .join('') || '<li>Aucun changement par rapport au planning en vigueur.</li>';
  $('warnings').innerHTML = warningTexts(planned, state.problem)
    .map((w) => `<li>${escapeHtml(w.text)}</li>`).join('') || '<li>Aucune.</li>';
  $('exports').innerHTML = exportUrls(state.jobId, state.problem, planned)
    .map((e) => `<a class="button" href="${e.href}" download="${escapeHtml(e.file)}">${escapeHtml(e.label)}</a>`).join('') +
    state.problem.units.map((u) => `<button type="button" data-sheet="${escapeHtml(u.id)}">Feuille de route ${escapeHtml(u.name || u.id)} (imprimer)</button>`).join('');
}

/** Makes a plan the one in force: the public timetable re-plans are compared with. */
function putInForce(entry) {
  state.inForce = entry;
  store.inForce = entry;
  attendance.refresh();
}

/**
 * Puts a finished plan of the service in force with the problem it was made from (a proposal
 * from attendance), as "Mettre ce planning en vigueur" does for a re-plan.
 */
async function applyPlan(jobId) {
  const [problem, job] = await Promise.all([api.problemOf(jobId), api.job(jobId)]);
  setProblem(problem, `Proposition « ${problem.name || jobId} » appliquée.`);
  state.jobId = jobId;
  putInForce({ jobId, plan: job.plan });
  await showPlan(job.plan);
  markStale('');
  say('progress-text', 'Ce planning est désormais celui en vigueur.');
}

/** Focuses the block of `key`, else another block of the same stop (a move changed its day). */
function refocus(key) {
  const stop = key.split('|')[2];
  const blocks = [...$('timetable').querySelectorAll('.block[data-key]')];
  const block = blocks.find((b) => b.dataset.key === key) || blocks.find((b) => b.dataset.key.split('|')[2] === stop);
  block?.focus({ preventScroll: false });
}

/** The routes and visits of the units shown, on the map. */
function drawMap() {
  const shown = blocksOf(state.plan).filter((b) => b.location && !state.hidden.has(b.unit));
  const features = (state.geojson?.features || []).filter((f) => !state.hidden.has(f.properties?.unit));
  map.showPlan({ ...state.geojson, features }, shown.map((b) => ({
    key: b.key, lat: b.location.lat, lon: b.location.lon, colour: colourOf(b.unit),
    label: `${escapeHtml(b.title)}<br>${escapeHtml(dayLabel(b.date))}, ${b.start}–${b.end}`,
  })), colourOf);
}

/** The timetable of the units shown and the week chosen (one week at a time for longer cycles). */
function renderTimetable() {
  const blocks = blocksOf(state.plan).filter((b) => !state.hidden.has(b.unit));
  const units = state.problem.units.filter((u) => !state.hidden.has(u.id))
    .map((u) => ({ id: u.id, name: u.name || u.id, colour: colourOf(u.id) }));
  const dates = cycleDates(state.problem.horizon);
  const weeks = [...new Set(dates.map((d) => d.week))];
  const chooser = $('week');
  $('week-choice').hidden = weeks.length < 2;
  if (chooser.options.length !== weeks.length) {
    chooser.innerHTML = weeks.map((w) => {
      const first = dates.find((d) => d.week === w);
      return `<option value="${w}">${w} (${escapeHtml(dayLabel(first.date).toLowerCase())})</option>`;
    }).join('');
  }
  const week = Number(chooser.value) || weeks[0];
  const shown = dates.filter((d) => d.week === week);
  const inWeek = new Set(shown.map((d) => d.date));
  const visible = blocks.filter((b) => inWeek.has(b.date));
  timetable.render(units, shown, visible);
  $('daylist').innerHTML = renderDayList(units, shown, visible);
}

function select(key) {
  timetable.highlight(key);
  map.highlight(key);
}

// ---- adjusting -----------------------------------------------------------------------------

/** Keeps what a move or a pin replaces, so that "Annuler le déplacement" can put it back. */
function remember() {
  state.undo.push({
    pinned: structuredClone(state.problem.commitments.pinned),
    previous: state.problem.commitments.previous_plan ?? null,
    plan: state.plan,
    jobId: state.jobId,
  });
  $('undo').disabled = false;
}

/** Undoes the last move or pin: its pins come back and the plan it replaced shows again. */
async function undo() {
  const last = state.undo.pop();
  $('undo').disabled = state.undo.length === 0;
  if (!last) return;
  state.problem.commitments.pinned = last.pinned;
  if (last.previous) state.problem.commitments.previous_plan = last.previous;
  else delete state.problem.commitments.previous_plan;
  store.problem = state.problem;
  editor.render();
  if (last.plan) {
    state.jobId = last.jobId;
    await showPlan(last.plan);
    markStale('');
  }
  say('progress-text', 'Déplacement annulé : le planning d’avant est rétabli.');
}

/**
 * Moves the visit picked, and only it: the stop's other visits are pinned where they are, so
 * that the planner does not move one of them instead.
 */
function move(visit, unit, date, start) {
  const day = cycleDates(state.problem.horizon).find((d) => d.date === date);
  if (!day) return;
  const refusal = moveRefusal(state.problem, visit.id, unit, day.weekday);
  if (refusal) {
    say('progress-text', refusal, true);
    return;
  }
  remember();
  state.problem.commitments.pinned = pinsAfterMove(state.problem, blocksOf(state.plan), visit, unit, date, start);
  state.focusAfterPlan = `${unit}|${date}|${visit.id}`;
  state.problem.commitments.previous_plan = state.plan;
  editor.render();
  store.problem = state.problem;
  plan();
}

function togglePin(visit) {
  remember();
  const pins = state.problem.commitments.pinned;
  const same = (p) => p.stop === visit.id && p.unit === visit.unit && p.weekday === visit.weekday;
  state.problem.commitments.pinned = visit.pinned ? pins.filter((p) => !same(p)) : [...pins, { stop: visit.id, unit: visit.unit, weekday: visit.weekday, start: visit.start }];
  state.problem.commitments.previous_plan = state.plan;
  visit.pinned = !visit.pinned;
  editor.render();
  changed();
  showPlan(state.plan);
  say('progress-text', visit.pinned ? `« ${visit.title} » épinglé : replanifiez pour organiser la semaine autour.` : `« ${visit.title} » désépinglé.`);
}

/** The move dialog offers only the days the stop is open and the units that may serve it. */
function openMoveDialog(visit) {
  const dialog = $('move-dialog');
  $('move-what').textContent = `${visit.title} — ${dayLabel(visit.date)}, ${visit.start}–${visit.end}`;
  const stop = state.problem.stops.find((s) => s.id === visit.id);
  const days = cycleDates(state.problem.horizon).filter((d) => d.date === visit.date || stop?.opening_hours?.[d.weekday]?.length);
  $('move-day').innerHTML = days
    .map((d) => `<option value="${d.date}" ${d.date === visit.date ? 'selected' : ''}>${escapeHtml(dayLabel(d.date))}</option>`).join('');
  // Units that may serve the stop and work one of those days; a day the chosen unit does not
  // work is refused with the reason when the dialog closes.
  const units = state.problem.units.filter((u) => u.id === visit.unit
    || days.some((d) => !moveRefusal(state.problem, visit.id, u.id, d.weekday)));
  $('move-unit').innerHTML = units
    .map((u) => `<option value="${escapeHtml(u.id)}" ${u.id === visit.unit ? 'selected' : ''}>${escapeHtml(u.name || u.id)}</option>`).join('');
  $('move-start').value = visit.start;
  dialog.onclose = () => {
    if (dialog.returnValue === 'move') move(visit, $('move-unit').value, $('move-day').value, $('move-start').value);
  };
  dialog.showModal();
}

// ---- wiring ----------------------------------------------------------------------------------

function tabs() {
  const list = [...document.querySelectorAll('[role="tab"]')];
  const activate = (tab) => {
    for (const t of list) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
    tab.focus();
  };
  list.forEach((tab, i) => {
    tab.addEventListener('click', () => activate(tab));
    tab.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight') activate(list[(i + 1) % list.length]);
      if (e.key === 'ArrowLeft') activate(list[(i + list.length - 1) % list.length]);
    });
  });
}

function guard(action) {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        access.token = '';
        $('token-form').hidden = false;
        say('load-message', 'Ce service demande un jeton d’accès : saisissez-le en haut de la page.', true);
      } else {
        say('load-message', error.message, true);
      }
    }
  };
}

/** Retries `action` while the service answers 503 (its territories are still loading). */
async function whenReady(action) {
  for (;;) {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 503) throw error;
      say('load-message', 'Le service charge ses territoires…');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function start() {
  await whenReady(loadTerritories);
  const kept = store.problem;
  if (kept?.units) {
    // A reload resumes the work in progress rather than the demo.
    state.inForce = store.inForce;
    if (kept.territory?.extract && state.territories.some((t) => t.id === kept.territory.extract)) {
      await chooseTerritory(kept.territory.extract);
    }
    const inForce = state.inForce;
    setProblem(kept, `Problème « ${kept.name || 'sans nom'} » repris de votre dernière session.`);
    if (inForce) {
      state.jobId = inForce.jobId;
      await showPlan(inForce.plan);
      markStale('Planning en vigueur de votre dernière session : replanifiez pour tenir compte des modifications.');
    }
    return;
  }
  try {
    await whenReady(openDemo);
  } catch (error) {
    // A service started on its own extracts has no demo: start from an empty week.
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    setProblem(emptyProblem(), 'Ouvrez un problème ou partez des lieux du territoire.');
  }
}

function wire() {
  tabs();
  $('territory').addEventListener('change', guard((e) => chooseTerritory(e.target.value)));
  $('open-demo').addEventListener('click', guard(openDemo));
  $('upload-json').addEventListener('change', guard((e) => e.target.files[0] && uploadJson(e.target.files[0])));
  $('upload-csv').addEventListener('change', guard((e) => e.target.files[0] && uploadCsv(e.target.files[0])));
  $('csv-template').href = URL.createObjectURL(new Blob([CSV_TEMPLATE], { type: 'text/csv;charset=utf-8' }));
  $('open-pois').addEventListener('click', guard(openPois));
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    access.token = $('token').value;
    $('token-form').hidden = true;
    guard(start)();
  });
  $('add-pois').addEventListener('click', addPois);
  $('coverage-run').addEventListener('click', guard(runCoverage));
  $('coverage-add').addEventListener('click', addCoverageStops);
  $('plan').addEventListener('click', plan);
  $('cancel').addEventListener('click', cancel);
  $('undo').addEventListener('click', guard(undo));
  $('week').addEventListener('change', () => state.plan && renderTimetable());
  $('unit-filter').addEventListener('change', (e) => {
    const unit = e.target.dataset.unit;
    if (!unit || !state.plan) return;
    if (e.target.checked) state.hidden.delete(unit);
    else state.hidden.add(unit);
    renderTimetable();
    drawMap();
  });
  $('daylist').addEventListener('click', (e) => {
    const key = e.target.closest('[data-move]')?.dataset.move;
    const visit = key && blocksOf(state.plan).find((b) => b.key === key);
    if (visit) openMoveDialog(visit);
  });
  $('attendance-save').addEventListener('click', guard(attendance.save));
  $('attendance-csv').addEventListener('change', guard((e) => e.target.files[0] && attendance.importCsv(e.target.files[0])));
  $('attendance-export').addEventListener('click', guard(attendance.exportCsv));
  $('proposal-ask').addEventListener('click', guard(attendance.propose));
  $('proposal-apply').addEventListener('click', guard(attendance.apply));
  $('download-json').addEventListener('click', downloadProblem);
  $('reopen').addEventListener('click', guard(reopen));
  $('adopt').addEventListener('click', () => {
    if (!state.plan) return;
    putInForce({ jobId: state.jobId, plan: state.plan });
    showPlan(state.plan);
    say('progress-text', 'Ce planning est désormais celui en vigueur.');
  });
  $('exports').addEventListener('click', async (e) => {
    if (e.target.closest('[aria-disabled="true"]')) {
      e.preventDefault();
      say('progress-text', 'Ce planning n’est plus à jour : replanifiez avant d’exporter.', true);
      return;
    }
    const link = e.target.closest('a[download]');
    if (link) {
      await downloadWithToken(e, link).catch((error) => say('progress-text', error.message, true));
      return;
    }
    const unit = e.target.closest('[data-sheet]')?.dataset.sheet;
    if (!unit) return;
    $('sheet').innerHTML = renderSheet(state.plan, state.problem, unit, blocksOf(state.plan));
    window.print();
  });
}

wire();
guard(start)();
setUpPublishing({ request, currentPlan: () => (state.plan ? state.jobId : null), say: (text, error) => say('publish-message', text, error) });

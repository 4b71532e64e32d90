// Attendance on the page (issue 19): the team enters how many people came to each visit of a
// unit's day (or imports a CSV), the dispatcher reads per stop a chart per week, the mean and the
// advice, and asks for a proposed plan shown beside the plan in force, applied only on request.

import { api, attendanceCsvUrl, ApiError, downloadWithToken } from './api.js';
import { frenchMessage } from './errors.js';
import { WEEKDAY_LABEL, clockFr, escapeHtml, hours, numberFr, plural } from './format.js';

const $ = (id) => document.getElementById(id);

/** What people came for: the service's codes and their French labels. */
export const TOPICS = { demarches: 'démarches', numerique: 'numérique', sante: 'santé', autre: 'autre' };

const ADVICE = { serve_more_often: 'À servir plus souvent', keep: 'À garder', drop: 'À retirer' };
const CHANGES = { dropped: 'retiré', more_visits: 'un passage de plus par cycle', preferred_weekday: 'jour préféré' };
const WARNINGS = { kept_for_coverage: 'gardé pour la couverture', no_capacity: 'pas de place pour un passage de plus' };

const DAY_MS = 86400_000;
const isoDay = (time) => new Date(time).toISOString().slice(0, 10);
const dayTime = (date) => Date.parse(`${date}T12:00:00Z`);

/**
 * The stop visits `unit` makes on `date` in `plan`, the plan repeating every cycle (as the
 * service matches a record): `[{stop, start}]` in the order of the route.
 */
export function visitsOfDay(plan, unit, date) {
  if (!plan?.routes?.length || !date) return [];
  const cycle = 7 * (plan.weeks || 1);
  const start = plan.start || plan.routes.map((r) => r.date).sort()[0];
  const offset = Math.round((dayTime(date) - dayTime(start)) / DAY_MS);
  const sameDay = isoDay(dayTime(start) + (((offset % cycle) + cycle) % cycle) * DAY_MS);
  return plan.routes.filter((r) => r.unit === unit && r.date === sameDay)
    .flatMap((r) => r.steps.filter((s) => s.type === 'visit' && s.kind === 'stop').map((s) => ({ stop: s.id, start: s.start })));
}

/** "7 déc." from "2026-12-07". */
function shortDay(date) {
  return new Date(dayTime(date)).toLocaleDateString('fr-FR', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/**
 * A stop's visitors per visit week by week as an inline SVG bar chart, one bar per week, with
 * a text alternative summarising it for screen readers.
 */
export function weekChart(weeks) {
  const width = 240;
  const height = 56;
  const top = Math.max(1, ...weeks.map((w) => w.mean));
  const step = width / Math.max(1, weeks.length);
  const bars = weeks.map((w, i) => {
    const h = Math.max(1, Math.round((w.mean / top) * (height - 4)));
    return `<rect class="bar" x="${(i * step + 1).toFixed(1)}" y="${height - h}" width="${Math.max(1, step - 2).toFixed(1)}" height="${h}"></rect>`;
  }).join('');
  const means = weeks.map((w) => w.mean);
  const label = weeks.length
    ? `Personnes par passage, par semaine, du ${shortDay(weeks[0].key)} au ${shortDay(weeks.at(-1).key)} : ` +
      `de ${numberFr(Math.min(...means), 1)} à ${numberFr(Math.max(...means), 1)} sur ${plural(weeks.length, 'semaine', 'semaines')}`
    : 'Aucune semaine enregistrée';
  return `<svg class="week-chart" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none">${bars}</svg>`;
}

/** One stop's attendance: its chart, mean and advice with the service's French reason. */
function renderStop(stop, nameOf) {
  return `<li data-stop="${escapeHtml(stop.stop)}">
    <h4>${escapeHtml(nameOf(stop.stop))}</h4>
    ${weekChart(stop.weeks)}
    <p>${numberFr(stop.mean, 1)} personnes par passage en moyenne, sur ${plural(stop.visits, 'passage', 'passages')}</p>
    <p><strong class="advice ${escapeHtml(stop.advice)}">${escapeHtml(ADVICE[stop.advice] || stop.advice)}</strong> : ${escapeHtml(stop.reason)}</p>
  </li>`;
}

/** The plan in force and the proposal side by side, one row per figure. */
function renderFigures(before, after, minutes, planned) {
  const share = (s) => `${numberFr(100 * s.coverage_share, 1)} %`;
  const driving = (s) => (s.driving_min_per_week == null ? '—' : hours(s.driving_min_per_week));
  const rows = [
    ['Arrêts servis', (s) => String(s.stops)],
    ['Passages par semaine', (s) => numberFr(s.visits_per_week, Number.isInteger(s.visits_per_week) ? 0 : 1)],
    [`Habitants à moins de ${numberFr(minutes)} min d’un arrêt`, share],
    ['Personnes attendues par semaine', (s) => numberFr(s.expected_visitors_per_week, 1)],
    ['Conduite par semaine', driving],
  ];
  return `<caption>${planned ? 'Le planning en vigueur et la proposition' : 'Le planning en vigueur et la proposition (estimée, en cours de calcul)'}</caption>
    <thead><tr><th scope="col">Par semaine</th><th scope="col">En vigueur</th><th scope="col">Proposé</th></tr></thead>
    <tbody>${rows.map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value(before))}</td><td>${escapeHtml(value(after))}</td></tr>`).join('')}</tbody>`;
}

/**
 * Wires the attendance section. `inForce()` is the plan in force (`{jobId, plan}`) or null,
 * `problem()` the problem on screen (for names), `territory()` the territory's id, and
 * `apply(jobId)` puts a finished plan in force as "Mettre ce planning en vigueur" does.
 */
export function setUpAttendance({ inForce, problem, territory, apply }) {
  let proposalJob = null;
  const say = (id, text, isError = false) => {
    $(id).textContent = text;
    $(id).classList.toggle('error', isError);
  };
  const unitName = (id) => problem()?.units.find((u) => u.id === id)?.name || id;
  const stopName = (id) => problem()?.stops.find((s) => s.id === id)?.name || id;

  function renderVisits() {
    const plan = inForce()?.plan;
    const unit = $('attendance-unit').value;
    const date = $('attendance-date').value;
    const visits = visitsOfDay(plan, unit, date);
    $('attendance-save').disabled = visits.length === 0;
    if (!plan) {
      $('attendance-visits').innerHTML = '<li>Mettez d’abord un planning en vigueur.</li>';
      return;
    }
    if (!visits.length) {
      const days = [...new Set(plan.routes.filter((r) => r.unit === unit && r.steps.some((s) => s.kind === 'stop')).map((r) => WEEKDAY_LABEL[r.weekday]))];
      $('attendance-visits').innerHTML = `<li>Aucun passage de ${escapeHtml(unitName(unit))} ce jour-là${days.length ? ` ; elle passe le ${escapeHtml(days.join(', '))}` : ''}.</li>`;
      return;
    }
    const topics = Object.entries(TOPICS).map(([code, label]) => `<option value="${code}">${escapeHtml(label)}</option>`).join('');
    $('attendance-visits').innerHTML = visits.map((v, i) => `<li data-stop="${escapeHtml(v.stop)}">
      <span class="what" id="attendance-what-${i}">${escapeHtml(clockFr(v.start))} — ${escapeHtml(stopName(v.stop))}</span>
      <label>Personnes venues <input type="number" inputmode="numeric" min="0" step="1" aria-describedby="attendance-what-${i}"></label>
      <label>Motif <select aria-describedby="attendance-what-${i}"><option value="">—</option>${topics}</select></label>
      <span class="outcome"></span>
    </li>`).join('');
  }

  /** The units of the plan in force, and today as the day (the team enters after its round). */
  function refresh() {
    const plan = inForce()?.plan;
    const units = [...new Set((plan?.routes || []).map((r) => r.unit))];
    const chosen = $('attendance-unit').value;
    $('attendance-unit').innerHTML = units.map((u) => `<option value="${escapeHtml(u)}">${escapeHtml(unitName(u))}</option>`).join('');
    if (units.includes(chosen)) $('attendance-unit').value = chosen;
    if (!$('attendance-date').value) $('attendance-date').value = isoDay(Date.now());
    $('proposal-ask').disabled = !plan;
    renderVisits();
    const where = territory();
    if (where) $('attendance-export').href = attendanceCsvUrl(where);
    showSummary().catch((error) => say('attendance-message', `Fréquentation illisible : ${error.message}`, true));
  }

  async function showSummary() {
    const where = territory();
    if (!where) return;
    const summary = await api.attendanceSummary(where);
    $('attendance-stops').innerHTML = summary.stops.map((s) => renderStop(s, stopName)).join('')
      || '<li>Aucune fréquentation enregistrée sur ce territoire.</li>';
  }

  async function save() {
    const current = inForce();
    const rows = [...$('attendance-visits').querySelectorAll('li[data-stop]')];
    const sent = rows.filter((row) => row.querySelector('input').value.trim() !== '');
    for (const row of rows) sayBeside(row, '');
    if (!current || !sent.length) {
      say('attendance-message', 'Saisissez le nombre de personnes venues à au moins un passage.', true);
      return;
    }
    const date = $('attendance-date').value;
    const records = sent.map((row) => {
      const topic = row.querySelector('select').value;
      return { stop: row.dataset.stop, date, visitors: Number(row.querySelector('input').value), ...(topic ? { topic } : {}) };
    });
    try {
      const answer = await api.record({ plan: current.jobId, records });
      answer.outcomes.forEach((outcome, i) => sayBeside(sent[i], outcome === 'replaced' ? 'remplacé' : 'enregistré'));
      say('attendance-message', `${plural(answer.recorded, 'passage enregistré', 'passages enregistrés')}` +
        `${answer.replaced ? `, dont ${plural(answer.replaced, 'remplacé', 'remplacés')}` : ''}.`);
      await showSummary();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 401) throw error;
      const general = [];
      for (const violation of error.violations) {
        const index = /^\/records\/(\d+)/.exec(violation.field || '')?.[1];
        const row = index === undefined ? null : sent[Number(index)];
        if (row) sayBeside(row, frenchMessage(violation.message), true);
        else general.push(frenchMessage(violation.message));
      }
      say('attendance-message', `Rien n’a été enregistré : corrigez les passages signalés.${general.length ? ` ${general.join(' ; ')}` : ''}`, true);
    }
  }

  /** The outcome beside a visit: "enregistré", "remplacé", or the refusal. */
  function sayBeside(row, text, isError = false) {
    const outcome = row.querySelector('.outcome');
    outcome.textContent = text;
    outcome.classList.toggle('error', isError);
    row.querySelector('input').setAttribute('aria-invalid', String(isError));
  }

  async function importCsv(file) {
    const current = inForce();
    if (!current) return say('attendance-message', 'Mettez d’abord un planning en vigueur.', true);
    try {
      const answer = await api.importAttendance(current.jobId, await file.text());
      say('attendance-message', `« ${file.name} » : ${plural(answer.recorded, 'visite importée', 'visites importées')}` +
        `${answer.replaced ? `, dont ${plural(answer.replaced, 'remplacée', 'remplacées')}` : ''}.`);
      await showSummary();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 401) throw error;
      const faults = error.violations.length ? error.violations.map((v) => frenchMessage(v.message)) : [frenchMessage(error.message)];
      say('attendance-message', `« ${file.name} » refusé, rien n’a été importé — ${faults.join(' ; ')}`, true);
    }
  }

  async function propose() {
    const current = inForce();
    if (!current) return;
    const minutes = Number($('proposal-minutes').value);
    $('proposal-apply').disabled = true;
    $('proposal-ask').disabled = true;
    say('proposal-message', 'Calcul de la proposition…');
    try {
      const answer = await api.propose(current.jobId, { minutes, mode: $('proposal-mode').value });
      proposalJob = answer.job.id;
      showProposal(answer, minutes, answer.job.status === 'done');
      let job = answer.job;
      while (!['done', 'failed', 'cancelled'].includes(job.status)) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        job = await api.job(job.id);
      }
      if (job.status !== 'done') {
        say('proposal-message', `La proposition n’a pas pu être planifiée : ${job.error?.message || job.status}`, true);
        return;
      }
      $('proposal-apply').disabled = false;
      say('proposal-message', 'Proposition prête : rien ne change tant que vous ne l’appliquez pas.');
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 401) throw error;
      say('proposal-message', `Proposition impossible : ${frenchMessage(error.message)}${error.field ? ` (${error.field})` : ''}`, true);
    } finally {
      $('proposal-ask').disabled = false;
    }
  }

  function showProposal(answer, minutes, planned) {
    $('proposal').hidden = false;
    $('proposal-figures').innerHTML = renderFigures(answer.before, answer.after, minutes, planned);
    $('proposal-changes').innerHTML = answer.changes.map((c) => `<li data-stop="${escapeHtml(c.stop)}"><strong>${escapeHtml(c.name)}</strong> — ` +
      `${escapeHtml(CHANGES[c.change] || c.change)} : ${escapeHtml(c.reason)}</li>`).join('') || '<li>Aucun.</li>';
    $('proposal-warnings').innerHTML = answer.warnings.map((w) => `<li data-stop="${escapeHtml(w.stop)}"><strong>${escapeHtml(stopName(w.stop))}</strong> — ` +
      `${escapeHtml(WARNINGS[w.code] || w.code)} : ${escapeHtml(w.message)}</li>`).join('') || '<li>Aucun.</li>';
  }

  $('attendance-unit').addEventListener('change', renderVisits);
  $('attendance-date').addEventListener('input', renderVisits);
  return {
    refresh,
    save,
    importCsv,
    propose,
    /** Puts the proposal's plan in force (the dispatcher's act). */
    async apply() {
      if (!proposalJob) return;
      await apply(proposalJob);
      $('proposal-apply').disabled = true;
      say('proposal-message', 'La proposition est désormais le planning en vigueur.');
    },
    /** Saves the export with the page's token when there is one. */
    exportCsv: (event) => downloadWithToken(event, $('attendance-export')),
  };
}

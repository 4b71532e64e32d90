// Key figures of a plan, and the printable weekly sheet of one unit.

import { hours, escapeHtml, dayLabel, numberFr, clockFr } from './format.js';

/** The plan's totals: share served, kilometres, driving, on-site hours, workload spread, cost. */
export function renderKpis(plan) {
  const t = plan.totals;
  const visits = t.stop_visits_planned + t.home_visits_planned;
  const asked = t.stop_visits_required + t.home_visits_requested;
  const summary = [
    ['Servis', `${numberFr(Math.round(100 * t.share_served))} %`, `${numberFr(visits)} passages et visites sur ${numberFr(asked)}`],
    ['Kilomètres', `${numberFr(t.distance_km, 1)} km`, 'parcourus par toutes les unités'],
    ['Conduite', hours(t.driving_min), 'au volant, toutes unités'],
    ['Sur place', hours(t.on_site_min), 'au service du public'],
    ['Écart de charge', hours(t.working_spread_min), 'de travail entre l’unité la plus chargée et la moins chargée'],
    ['Coût', `${numberFr(Math.round(t.cost_eur))} €`, 'heures et kilomètres des unités'],
  ].map(([label, value, note]) => `<div class="kpi"><span class="label">${label}</span><span class="value">${value}</span><span class="note">${note}</span></div>`).join('');
  return `<div class="kpi-row">${summary}</div>`;
}

/**
 * The units as a filter list: each with its colour, days out and kilometres, ticked when shown
 * on the map and in the timetable.
 */
export function renderUnitFilter(plan, problem, colourOf, hidden) {
  const items = problem.units.map((unit) => {
    const totals = plan.units.find((u) => u.unit === unit.id);
    const figures = totals ? `${totals.days} j · ${numberFr(totals.distance_km, 1)} km` : 'ne sort pas';
    return `<li><label><input type="checkbox" data-unit="${escapeHtml(unit.id)}" ${hidden.has(unit.id) ? '' : 'checked'}>` +
      `<span class="swatch" style="background:${colourOf(unit.id)}"></span>${escapeHtml(unit.name || unit.id)} <small>${figures}</small></label></li>`;
  }).join('');
  return `<ul class="unit-filter" aria-label="Unités affichées">${items}</ul>`;
}

/** Per unit: days out, kilometres, driving against on-site hours, as a table with bars. */
export function renderUnitTotals(plan, problem, colourOf) {
  const widest = Math.max(1, ...plan.units.map((u) => u.working_min));
  const rows = plan.units.map((u) => {
    const name = problem.units.find((x) => x.id === u.unit)?.name || u.unit;
    const drive = (100 * u.driving_min) / widest;
    const site = (100 * u.on_site_min) / widest;
    return `<tr><th scope="row"><span class="swatch" style="background:${colourOf(u.unit)}"></span>${escapeHtml(name)}</th>
      <td>${u.days}</td><td>${numberFr(u.distance_km, 1)} km</td><td>${hours(u.driving_min)}</td><td>${hours(u.on_site_min)}</td>
      <td class="bar" aria-hidden="true"><span class="drive" style="width:${drive}%"></span><span class="site" style="width:${site}%"></span></td></tr>`;
  }).join('');
  return `<table class="units" tabindex="0"><caption>Par unité (barre : conduite, puis temps sur place)</caption>
      <thead><tr><th scope="col">Unité</th><th scope="col">Jours</th><th scope="col">Km</th><th scope="col">Conduite</th><th scope="col">Sur place</th><th scope="col">Charge</th></tr></thead>
      <tbody>${rows}</tbody></table>`;
}

/** Where a step of the sheet takes place: the stop's name, never coordinates. */
function placeOf(block) {
  if (block.kind === 'stop') return escapeHtml(block.title);
  if (block.kind === 'home_visit') return `Domicile (dossier ${escapeHtml(block.id)})`;
  return '—';
}

/**
 * One A4 page per unit: each day from its first drive (a lunch taken at the depot before leaving
 * is said, not listed), stops with times and places, return.
 */
export function renderSheet(plan, problem, unitId, blocks) {
  const unit = problem.units.find((u) => u.id === unitId);
  const days = plan.routes.filter((r) => r.unit === unitId).map((route) => {
    const day = blocks.filter((b) => b.unit === unitId && b.date === route.date);
    const first = day.findIndex((b) => b.kind !== 'break');
    const before = first > 0 ? day.slice(0, first) : [];
    const leave = route.steps.find((s) => s.type === 'visit');
    const departure = leave ? minutesToClock(clockMinutes(leave.arrive) - leave.drive_min) : route.leave;
    const steps = day.slice(Math.max(first, 0)).map((b) => {
      const what = b.kind === 'break' ? 'Pause déjeuner' : b.kind === 'stop' ? 'Arrêt' : 'Visite à domicile';
      return `<tr><td>${clockFr(b.start)} – ${clockFr(b.end)}</td><td>${what}</td><td>${placeOf(b)}</td></tr>`;
    }).join('');
    const lunch = before.map((b) => ` (pause déjeuner au dépôt ${clockFr(b.start)} – ${clockFr(b.end)} avant le départ)`).join('');
    return `<section class="sheet-day"><h3>${escapeHtml(dayLabel(route.date))}</h3>
      <p>Départ ${clockFr(departure)}${lunch} — retour ${clockFr(route.back)} · ${numberFr(route.distance_km, 1)} km · conduite ${hours(route.driving_min)}</p>
      <table><thead><tr><th>Horaire</th><th>Étape</th><th>Lieu</th></tr></thead><tbody>${steps}</tbody></table></section>`;
  }).join('');
  return `<h2>Feuille de route — ${escapeHtml(unit?.name || unitId)}</h2>
    <p>${escapeHtml(problem.name || '')} · semaine du ${escapeHtml(dayLabel(plan.start))}</p>${days || '<p>Aucune sortie cette semaine.</p>'}
    <p class="credit">Données cartographiques © contributeurs OpenStreetMap (ODbL).</p>`;
}

function clockMinutes(clock) {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

function minutesToClock(total) {
  const t = Math.max(0, total);
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

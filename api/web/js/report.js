// Key figures of a plan, and the printable weekly sheet of one unit.

import { hours, escapeHtml, dayLabel } from './format.js';

/** Totals, then per unit: kilometres, driving against on-site hours, days out. */
export function renderKpis(plan, problem, colourOf) {
  const t = plan.totals;
  const visits = t.stop_visits_planned + t.home_visits_planned;
  const asked = t.stop_visits_required + t.home_visits_requested;
  const summary = [
    ['Servis', `${Math.round(100 * t.share_served)} %`, `${visits} sur ${asked}`],
    ['Kilomètres', `${t.distance_km.toFixed(1)} km`, ''],
    ['Conduite', hours(t.driving_min), ''],
    ['Sur place', hours(t.on_site_min), ''],
    ['Écart de charge', hours(t.working_spread_min), 'entre unités'],
    ['Coût', `${Math.round(t.cost_eur)} €`, ''],
  ].map(([label, value, note]) => `<div class="kpi"><span class="label">${label}</span><span class="value">${value}</span><span class="note">${note}</span></div>`).join('');
  const widest = Math.max(1, ...plan.units.map((u) => u.working_min));
  const rows = plan.units.map((u) => {
    const name = problem.units.find((x) => x.id === u.unit)?.name || u.unit;
    const drive = (100 * u.driving_min) / widest;
    const site = (100 * u.on_site_min) / widest;
    return `<tr><th scope="row"><span class="swatch" style="background:${colourOf(u.unit)}"></span>${escapeHtml(name)}</th>
      <td>${u.days}</td><td>${u.distance_km.toFixed(1)} km</td><td>${hours(u.driving_min)}</td><td>${hours(u.on_site_min)}</td>
      <td class="bar" aria-hidden="true"><span class="drive" style="width:${drive}%"></span><span class="site" style="width:${site}%"></span></td></tr>`;
  }).join('');
  return `<div class="kpi-row">${summary}</div>
    <table class="units"><caption>Par unité (barre : conduite, puis temps sur place)</caption>
      <thead><tr><th scope="col">Unité</th><th scope="col">Jours</th><th scope="col">Km</th><th scope="col">Conduite</th><th scope="col">Sur place</th><th scope="col">Charge</th></tr></thead>
      <tbody>${rows}</tbody></table>`;
}

/** One A4 page per unit: each day's departure, stops with times and places, return. */
export function renderSheet(plan, problem, unitId, blocks) {
  const unit = problem.units.find((u) => u.id === unitId);
  const days = plan.routes.filter((r) => r.unit === unitId).map((route) => {
    const steps = blocks.filter((b) => b.unit === unitId && b.date === route.date).map((b) => {
      const where = b.location ? `${b.location.lat.toFixed(5)}, ${b.location.lon.toFixed(5)}` : '';
      const what = b.kind === 'break' ? 'Pause' : escapeHtml(b.title);
      return `<tr><td>${b.start}–${b.end}</td><td>${what}</td><td>${where}</td></tr>`;
    }).join('');
    return `<section class="sheet-day"><h3>${escapeHtml(dayLabel(route.date))}</h3>
      <p>Départ ${route.leave} — retour ${route.back} · ${route.distance_km.toFixed(1)} km · conduite ${hours(route.driving_min)}</p>
      <table><thead><tr><th>Horaire</th><th>Étape</th><th>Lieu</th></tr></thead><tbody>${steps}</tbody></table></section>`;
  }).join('');
  return `<h2>Feuille de route — ${escapeHtml(unit?.name || unitId)}</h2>
    <p>${escapeHtml(problem.name || '')} · semaine du ${escapeHtml(dayLabel(plan.start))}</p>${days || '<p>Aucune sortie cette semaine.</p>'}
    <p class="credit">Données cartographiques © contributeurs OpenStreetMap (ODbL).</p>`;
}

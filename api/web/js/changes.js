// What a new plan changes against the plan in force, in French: each stop whose slot moved
// (the public's timetable) and each home visit whose appointment moved (that person must be
// phoned), and the plan's warnings in words a dispatcher can act on.

import { WEEKDAY_LABEL, dayLabel, clockFr } from './format.js';

/** Every visit of a plan: `{kind, id, unit, date, weekday, week, start}`. */
function visits(plan) {
  return (plan?.routes || []).flatMap((route) => route.steps
    .filter((step) => step.type === 'visit')
    .map((step) => ({ kind: step.kind, id: step.id, unit: route.unit, date: route.date, weekday: route.weekday, week: route.week, start: step.start })));
}

function group(list) {
  const out = new Map();
  for (const visit of list) {
    const key = `${visit.kind}|${visit.id}`;
    if (!out.has(key)) out.set(key, []);
    out.get(key).push(visit);
  }
  return out;
}

/** Takes out of `a` and `b` the visits they share (by `same`); returns what is left of each. */
function unmatched(a, b, same) {
  const rest = [...b];
  const left = [];
  for (const visit of a) {
    const i = rest.findIndex((other) => same(visit, other));
    if (i >= 0) rest.splice(i, 1);
    else left.push(visit);
  }
  return [left, rest];
}

/**
 * The changes from `before` to `after` as `{kind, id, name, text}` sentences, stops first:
 * "Bibliothèque Oodi : mardi 13 h 20 → mercredi 13 h 20 (triporteur)".
 */
export function planChanges(before, after, problem) {
  if (!before || !after) return [];
  const unitName = (id) => problem.units.find((u) => u.id === id)?.name || id;
  const multiWeek = (problem.horizon?.weeks || 1) > 1;
  const stopSlot = (v) => `${multiWeek ? `semaine ${v.week}, ` : ''}${WEEKDAY_LABEL[v.weekday]} ${clockFr(v.start)}`;
  const homeSlot = (v) => `${dayLabel(v.date).toLowerCase()} ${clockFr(v.start)}`;
  const old = group(visits(before));
  const now = group(visits(after));
  const out = [];
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const [kind, id] = key.split('|');
    const stop = kind === 'stop';
    const same = stop
      ? (a, b) => a.week === b.week && a.weekday === b.weekday && a.start === b.start && a.unit === b.unit
      : (a, b) => a.date === b.date && a.start === b.start && a.unit === b.unit;
    const [gone, added] = unmatched(old.get(key) || [], now.get(key) || [], same);
    const slot = stop ? stopSlot : homeSlot;
    const name = stop ? (problem.stops.find((s) => s.id === id)?.name || id) : `Visite à domicile ${id}`;
    const count = Math.max(gone.length, added.length);
    for (let i = 0; i < count; i++) {
      const a = gone[i];
      const b = added[i];
      let text;
      if (a && b) {
        const units = a.unit === b.unit ? unitName(b.unit) : `${unitName(a.unit)} → ${unitName(b.unit)}`;
        text = `${slot(a)} → ${slot(b)} (${units})`;
      } else if (a) {
        text = `${slot(a)} (${unitName(a.unit)}) → plus planifié`;
      } else {
        text = `nouveau : ${slot(b)} (${unitName(b.unit)})`;
      }
      out.push({ kind, id, name, text: stop ? text : `${text} — à prévenir` });
    }
  }
  return out.sort((x, y) => (x.kind === y.kind ? x.name.localeCompare(y.name, 'fr') : x.kind === 'stop' ? -1 : 1));
}

const WARNINGS = {
  slot_moved: 'pas à son créneau habituel',
  off_road: 'trop loin des routes',
  depot_off_road: 'dépôt hors des routes de l’unité : unité laissée de côté',
  opening_day_not_worked: 'ouvert seulement des jours où aucune unité ne travaille',
  home_out_of_range: 'domicile hors de portée',
};

/** Why a visit is not at its usual slot, in French. */
function cause(c, unitName) {
  if (!c) return 'aucune place n’a été trouvée à son créneau habituel';
  if (c.kind === 'pin') return `un épinglage fixe ${clockFr(c.start)} avec ${unitName(c.unit)} ce jour-là`;
  if (c.kind === 'unit_off') return `${unitName(c.unit)} ne travaille pas ce jour-là`;
  if (c.kind === 'period') return `horaires différents pendant la période « ${c.period} »`;
  return '';
}

/** The plan's warnings as `{id, text}` sentences in French (the service's own for an unknown code). */
export function warningTexts(plan, problem) {
  const unitName = (id) => problem.units.find((u) => u.id === id)?.name || id;
  const nameOf = (id) => problem.stops.find((s) => s.id === id)?.name
    || (problem.home_visits.some((h) => h.id === id) ? `Visite à domicile ${id}` : unitName(id));
  return (plan?.warnings || []).map((w) => {
    const label = WARNINGS[w.code];
    const when = w.date ? ` le ${dayLabel(w.date).toLowerCase()}` : '';
    if (!label) return { id: w.id, text: `${nameOf(w.id)} : ${w.message}` };
    const why = w.code === 'slot_moved' ? ` : ${cause(w.cause, unitName)}` : '';
    return { id: w.id, text: `${nameOf(w.id)} : ${label}${when}${why}` };
  });
}

// The rules of moving a stop's visit, apart from the page: why a move cannot be made, and the
// pins that make the planner move the visit picked and only it.

import { WEEKDAY_LABEL, cycleDates } from './format.js';

/**
 * Why `stopId` cannot be moved to `unitId` on `weekday`, in French (closed that day, unit not
 * taken, equipment missing, unit off, or either gone from the problem); '' when it can.
 */
export function moveRefusal(problem, stopId, unitId, weekday) {
  const stop = problem.stops.find((s) => s.id === stopId);
  const unit = problem.units.find((u) => u.id === unitId);
  if (!stop) return `Déplacement refusé : l’arrêt « ${stopId} » n’est plus dans le problème ; replanifiez d’abord.`;
  if (!unit) return `Déplacement refusé : l’unité « ${unitId} » n’est plus dans le problème ; replanifiez d’abord.`;
  const name = stop.name || stop.id;
  const unitName = unit.name || unit.id;
  if (!stop.opening_hours?.[weekday]?.length) return `Déplacement refusé : « ${name} » est fermé le ${WEEKDAY_LABEL[weekday]}.`;
  if (stop.allowed_units?.length && !stop.allowed_units.includes(unit.kind)) {
    return `Déplacement refusé : « ${name} » n’accepte pas ${unitName} (${stop.allowed_units.join(', ')} seulement).`;
  }
  const missing = (stop.equipment || []).filter((e) => !(unit.equipment || []).includes(e));
  if (missing.length) return `Déplacement refusé : ${unitName} n’a pas ${missing.join(', ')}.`;
  if (!unit.hours?.[weekday]?.length) return `Déplacement refusé : ${unitName} ne travaille pas le ${WEEKDAY_LABEL[weekday]}.`;
  return '';
}

/**
 * The problem's pins once `visit` (a timetable block) moves to `unitId` on `date` at `start`:
 * the stop's other visits in `blocks` are pinned where they are (their week only in a
 * multi-week cycle), so that the planner does not move one of them instead.
 */
export function pinsAfterMove(problem, blocks, visit, unitId, date, start) {
  const dates = cycleDates(problem.horizon);
  const pinAt = (unit, on, at) => {
    const day = dates.find((d) => d.date === on);
    const weeks = problem.horizon.weeks > 1 ? { weeks: [day.week] } : {};
    return { stop: visit.id, unit, weekday: day.weekday, start: at, ...weeks };
  };
  const others = blocks.filter((b) => b.kind === 'stop' && b.id === visit.id && b.key !== visit.key);
  return [
    ...problem.commitments.pinned.filter((p) => p.stop !== visit.id),
    ...others.map((other) => pinAt(other.unit, other.date, other.start)),
    pinAt(unitId, date, start),
  ];
}

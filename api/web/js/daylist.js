// The plan as a list, day by day, for a phone: each date, each unit that goes out, its visits
// in order with their times, and a button to move a stop (the same dialog as the timetable's).

import { escapeHtml, dayLabel, clockFr } from './format.js';

/** `units`: `{id, name, colour}`; `dates`: `{date}`; `blocks`: the timetable's blocks. */
export function renderDayList(units, dates, blocks) {
  return dates.map((d) => {
    const out = units.map((unit) => {
      const steps = blocks.filter((b) => b.unit === unit.id && b.date === d.date);
      if (!steps.some((b) => b.kind !== 'break')) return '';
      const items = steps.map((b) => {
        const when = `${clockFr(b.start)} – ${clockFr(b.end)}`;
        if (b.kind === 'break') return `<li class="break">${when} · pause déjeuner</li>`;
        const move = b.kind === 'stop'
          ? ` <button type="button" data-move="${escapeHtml(b.key)}" aria-label="Déplacer ${escapeHtml(b.title)}">Déplacer</button>`
          : '';
        return `<li class="${b.kind}">${when} · ${b.pinned ? '⚑ ' : ''}${escapeHtml(b.title)}${move}</li>`;
      }).join('');
      return `<div class="day-unit" style="--unit:${unit.colour}"><h4>${escapeHtml(unit.name)}</h4><ul>${items}</ul></div>`;
    }).join('');
    return `<section class="list-day" aria-label="${escapeHtml(dayLabel(d.date))}"><h3>${escapeHtml(dayLabel(d.date))}</h3>${out || '<p>Aucune sortie.</p>'}</section>`;
  }).join('');
}

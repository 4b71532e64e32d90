// Forms for units, stops and home visits. Every input is bound to a JSON pointer into the
// problem (`data-path`), so the server's violations land next to the field they name.

import { WEEKDAYS, WEEKDAY_LABEL, UNIT_KINDS, STOP_KINDS, escapeHtml, plural, everyWeeks } from './format.js';
import { frenchMessage } from './errors.js';

/** Turns `stops[3].opening_hours.thu[0]` or `/stops/3/...` into a JSON pointer. */
export function toPointer(path) {
  if (!path) return '';
  if (path.startsWith('/')) return path;
  return '/' + path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean).join('/');
}

function getAt(object, pointer) {
  return pointer.split('/').slice(1).reduce((o, key) => (o == null ? undefined : o[key]), object);
}

function setAt(object, pointer, value) {
  const keys = pointer.split('/').slice(1);
  let target = object;
  keys.slice(0, -1).forEach((key, i) => {
    if (target[key] == null) target[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
    target = target[key];
  });
  const last = keys[keys.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
}

function input(label, path, value, { type = 'text', step, min, max, required, list } = {}) {
  const id = `f${path.replace(/[^a-z0-9]/gi, '-')}`;
  const attributes = [
    `id="${id}"`, `data-path="${escapeHtml(path)}"`, `data-type="${type}"`,
    `type="${type === 'int' || type === 'float' ? 'number' : type}"`,
    `value="${escapeHtml(value ?? '')}"`,
    step ? `step="${step}"` : '', min !== undefined ? `min="${min}"` : '', max !== undefined ? `max="${max}"` : '',
    required ? 'required' : '', list ? `list="${list}"` : '',
  ].join(' ');
  return `<div class="field"><label for="${id}">${label}</label><input ${attributes}>` +
    `<span class="field-error" id="${id}-error" aria-live="polite"></span></div>`;
}

function select(label, path, value, options) {
  const id = `f${path.replace(/[^a-z0-9]/gi, '-')}`;
  const choices = Object.entries(options)
    .map(([key, text]) => `<option value="${key}" ${key === value ? 'selected' : ''}>${escapeHtml(text)}</option>`)
    .join('');
  return `<div class="field"><label for="${id}">${label}</label>` +
    `<select id="${id}" data-path="${escapeHtml(path)}" data-type="text">${choices}</select>` +
    `<span class="field-error" id="${id}-error" aria-live="polite"></span></div>`;
}

/** A weekday table: open or not, and every range of the day (a mairie open 9–12 and 14–17). */
function weekTable(title, path, hoursByDay) {
  const rows = WEEKDAYS.map((day) => {
    const list = hoursByDay?.[day] || [];
    const open = list.length > 0;
    const cells = list.map((range, j) => {
      const base = `${path}/${day}/${j}`;
      const drop = j > 0
        ? `<button type="button" class="remove-range" data-remove="${base}" aria-label="Retirer la plage ${range.start}–${range.end} du ${WEEKDAY_LABEL[day]}">−</button>`
        : '';
      return `<span class="range">${input('début', `${base}/start`, range.start, { type: 'time' })}` +
        `${input('fin', `${base}/end`, range.end, { type: 'time' })}${drop}</span>`;
    }).join('');
    const more = open
      ? `<button type="button" class="add-range" data-add-range="${path}/${day}" aria-label="Ajouter une plage le ${WEEKDAY_LABEL[day]}">+ plage</button>`
      : '';
    return `<tr><th scope="row"><label><input type="checkbox" data-day-toggle="${path}" data-day="${day}" ${open ? 'checked' : ''}> ${WEEKDAY_LABEL[day]}</label></th>` +
      `<td class="ranges">${cells}${more}</td></tr>`;
  }).join('');
  return `<fieldset class="week" data-path="${path}"><legend>${title}</legend><table>${rows}</table>` +
    `<span class="field-error" aria-live="polite"></span></fieldset>`;
}

function unitForm(unit, i) {
  const p = `/units/${i}`;
  return `<details class="item" data-path="${p}"><summary>${escapeHtml(unit.name || unit.id)} <small>${UNIT_KINDS[unit.kind] || ''}</small></summary>
    <div class="grid">
      ${input('Identifiant', `${p}/id`, unit.id, { required: true })}
      ${input('Nom', `${p}/name`, unit.name)}
      ${select('Type', `${p}/kind`, unit.kind, UNIT_KINDS)}
      ${input('Dépôt, latitude', `${p}/depot/lat`, unit.depot?.lat, { type: 'float', step: 'any' })}
      ${input('Dépôt, longitude', `${p}/depot/lon`, unit.depot?.lon, { type: 'float', step: 'any' })}
      ${input('Pause, début de fenêtre', `${p}/lunch/window/start`, unit.lunch?.window?.start, { type: 'time' })}
      ${input('Pause, fin de fenêtre', `${p}/lunch/window/end`, unit.lunch?.window?.end, { type: 'time' })}
      ${input('Pause, durée (min)', `${p}/lunch/duration_min`, unit.lunch?.duration_min, { type: 'int', min: 0 })}
      ${input('Conduite max par jour (min)', `${p}/max_driving_min`, unit.max_driving_min, { type: 'int', min: 0 })}
      ${input('Autonomie par jour (km)', `${p}/battery_range_km`, unit.battery_range_km, { type: 'float', min: 0 })}
    </div>
    ${weekTable('Jours et heures de travail', `${p}/hours`, unit.hours)}
    <button type="button" class="remove" data-remove="${p}">Supprimer cette unité</button>
  </details>`;
}

function pinOf(problem, stopId) {
  return (problem.commitments?.pinned || []).find((pin) => pin.stop === stopId);
}

function stopForm(problem, stop, i) {
  const p = `/stops/${i}`;
  const pin = pinOf(problem, stop.id);
  const minutes = typeof stop.duration === 'object' ? stop.duration.minutes : '';
  const units = Object.fromEntries([['', '— non épinglé —'], ...problem.units.map((u) => [u.id, u.name || u.id])]);
  const days = Object.fromEntries(WEEKDAYS.map((d) => [d, WEEKDAY_LABEL[d]]));
  return `<details class="item" data-path="${p}"><summary>${escapeHtml(stop.name || stop.id)} <small>${STOP_KINDS[stop.kind] || ''} · ${plural(stop.frequency?.visits ?? 1, 'passage', 'passages')} ${everyWeeks(stop.frequency?.per_weeks)}${pin ? ' · épinglé' : ''}</small></summary>
    <div class="grid">
      ${input('Identifiant', `${p}/id`, stop.id, { required: true })}
      ${input('Nom', `${p}/name`, stop.name)}
      ${select('Type', `${p}/kind`, stop.kind, STOP_KINDS)}
      ${input('Adresse', `${p}/location/address`, stop.location?.label ?? stop.location?.address, { list: 'address-suggestions' })}
      ${input('Latitude', `${p}/location/lat`, stop.location?.lat, { type: 'float', step: 'any' })}
      ${input('Longitude', `${p}/location/lon`, stop.location?.lon, { type: 'float', step: 'any' })}
      ${input('Durée sur place (min)', `${p}/duration/minutes`, minutes, { type: 'int', min: 0 })}
      ${input('Passages', `${p}/frequency/visits`, stop.frequency?.visits, { type: 'int', min: 1 })}
      ${input('Toutes les … semaines', `${p}/frequency/per_weeks`, stop.frequency?.per_weeks ?? 1, { type: 'int', min: 1 })}
      ${input('Écart min. (jours)', `${p}/frequency/min_gap_days`, stop.frequency?.min_gap_days, { type: 'int', min: 0 })}
      ${input('Écart max. (jours)', `${p}/frequency/max_gap_days`, stop.frequency?.max_gap_days, { type: 'int', min: 0 })}
      ${input('Priorité (1–100)', `${p}/priority`, stop.priority ?? 50, { type: 'int', min: 1, max: 100 })}
    </div>
    ${weekTable("Heures d'ouverture", `${p}/opening_hours`, stop.opening_hours)}
    <fieldset class="pin"><legend>Épingler (créneau annoncé au public)</legend>
      <div class="grid">
        ${select('Unité', `/pin/${stop.id}/unit`, pin?.unit || '', units)}
        ${select('Jour', `/pin/${stop.id}/weekday`, pin?.weekday || 'mon', days)}
        ${input('Début', `/pin/${stop.id}/start`, pin?.start || '09:00', { type: 'time' })}
      </div>
    </fieldset>
    <button type="button" class="remove" data-remove="${p}">Supprimer cet arrêt</button>
  </details>`;
}

function homeForm(home, i) {
  const p = `/home_visits/${i}`;
  const slots = (home.slots || []).map((slot, j) => {
    const s = `${p}/slots/${j}`;
    const when = slot.date
      ? input('Date', `${s}/date`, slot.date, { type: 'date' })
      : select('Jour', `${s}/weekday`, slot.weekday, Object.fromEntries(WEEKDAYS.map((d) => [d, WEEKDAY_LABEL[d]])));
    return `<div class="grid slot">${when}${input('de', `${s}/start`, slot.start, { type: 'time' })}${input('à', `${s}/end`, slot.end, { type: 'time' })}</div>`;
  }).join('');
  return `<details class="item" data-path="${p}"><summary>${escapeHtml(home.id)} <small>${home.duration_min} min</small></summary>
    <div class="grid">
      ${input('Identifiant (pas de nom)', `${p}/id`, home.id, { required: true })}
      ${input('Adresse', `${p}/location/address`, home.location?.label ?? home.location?.address, { list: 'address-suggestions' })}
      ${input('Latitude', `${p}/location/lat`, home.location?.lat, { type: 'float', step: 'any' })}
      ${input('Longitude', `${p}/location/lon`, home.location?.lon, { type: 'float', step: 'any' })}
      ${input('Durée (min)', `${p}/duration_min`, home.duration_min, { type: 'int', min: 1 })}
      ${input('Priorité (1–100)', `${p}/priority`, home.priority ?? 50, { type: 'int', min: 1, max: 100 })}
      ${input('Date limite', `${p}/deadline`, home.deadline, { type: 'date' })}
    </div>
    <fieldset><legend>Disponibilités de la personne</legend>${slots}
      <button type="button" data-add-slot="${p}/slots">Ajouter un créneau</button></fieldset>
    <button type="button" class="remove" data-remove="${p}">Supprimer cette visite</button>
  </details>`;
}

function parse(element) {
  const raw = element.value;
  if (raw === '') return undefined;
  switch (element.dataset.type) {
    case 'int': return Number.parseInt(raw, 10);
    case 'float': return Number.parseFloat(raw);
    default: return raw;
  }
}

/** The three editing panels, bound to `getProblem()`; `onChange` runs after every edit. */
export class Editor {
  constructor(panels, getProblem, onChange) {
    this.panels = panels;
    this.getProblem = getProblem;
    this.onChange = onChange;
    for (const panel of Object.values(panels)) {
      panel.addEventListener('change', (event) => this.edited(event.target));
      panel.addEventListener('click', (event) => this.clicked(event.target));
    }
  }

  render() {
    const problem = this.getProblem();
    if (!problem) return;
    const open = new Set([...document.querySelectorAll('details.item[open]')].map((d) => d.dataset.path));
    this.panels.units.innerHTML = problem.units.map(unitForm).join('') +
      '<button type="button" data-add="units">Ajouter une unité</button>';
    this.panels.stops.innerHTML = (problem.stops || []).map((s, i) => stopForm(problem, s, i)).join('') +
      '<button type="button" data-add="stops">Ajouter un arrêt</button>';
    this.panels.homes.innerHTML = (problem.home_visits || []).map(homeForm).join('') +
      '<button type="button" data-add="home_visits">Ajouter une visite à domicile</button>';
    for (const details of document.querySelectorAll('details.item')) {
      if (open.has(details.dataset.path)) details.open = true;
    }
  }

  edited(element) {
    const problem = this.getProblem();
    this.clearError(element);
    if (element.dataset.dayToggle) {
      const path = `${element.dataset.dayToggle}/${element.dataset.day}`;
      setAt(problem, path, element.checked ? [{ start: '09:00', end: '17:00' }] : undefined);
      this.render();
    } else if (element.dataset.path?.startsWith('/pin/')) {
      this.editPin(problem, element);
    } else if (element.dataset.path) {
      const value = parse(element);
      if (element.dataset.path.endsWith('/duration/minutes')) {
        setAt(problem, element.dataset.path.replace(/\/minutes$/, ''), value === undefined ? 'whole_opening' : { minutes: value });
      } else {
        setAt(problem, element.dataset.path, value);
      }
    }
    this.onChange();
  }

  editPin(problem, element) {
    const [, , stop, field] = element.dataset.path.split('/');
    problem.commitments ??= {};
    problem.commitments.pinned ??= [];
    const pins = problem.commitments.pinned;
    let pin = pins.find((p) => p.stop === stop);
    const value = element.value;
    if (field === 'unit' && !value) {
      problem.commitments.pinned = pins.filter((p) => p.stop !== stop);
    } else {
      if (!pin) {
        const form = element.closest('fieldset');
        pin = { stop, unit: '', weekday: form.querySelector('[data-path$="/weekday"]').value, start: form.querySelector('[data-path$="/start"]').value };
        pins.push(pin);
      }
      pin[field] = value;
      if (!pin.unit) problem.commitments.pinned = pins.filter((p) => p !== pin);
    }
  }

  clicked(element) {
    const problem = this.getProblem();
    if (element.dataset.remove) {
      const keys = element.dataset.remove.split('/');
      const list = getAt(problem, keys.slice(0, -1).join('/'));
      list.splice(Number(keys[keys.length - 1]), 1);
    } else if (element.dataset.add) {
      const n = (problem[element.dataset.add] ||= []).length + 1;
      const centre = problem.units[0]?.depot || { lat: 0, lon: 0 };
      const fresh = {
        units: { id: `unite-${n}`, name: `Unité ${n}`, kind: 'car', depot: { ...centre }, hours: weekdays('09:00', '17:00'), lunch: { window: { start: '12:00', end: '14:00' }, duration_min: 60 } },
        stops: { id: `arret-${n}`, name: `Arrêt ${n}`, kind: 'other', location: { ...centre }, opening_hours: weekdays('09:00', '17:00'), duration: { minutes: 120 }, frequency: { visits: 1 } },
        home_visits: { id: `visite-${n}`, location: { ...centre }, duration_min: 60, slots: [{ weekday: 'mon', start: '09:00', end: '17:00' }] },
      }[element.dataset.add];
      problem[element.dataset.add].push(fresh);
    } else if (element.dataset.addSlot) {
      getAt(problem, element.dataset.addSlot).push({ weekday: 'mon', start: '09:00', end: '17:00' });
    } else if (element.dataset.addRange) {
      const list = getAt(problem, element.dataset.addRange);
      const last = list[list.length - 1];
      list.push({ start: last && last.end < '14:00' ? '14:00' : '09:00', end: '17:00' });
    } else {
      return;
    }
    this.render();
    this.onChange();
  }

  /** A corrected field no longer shows its error (nor does the table of hours it belongs to). */
  clearError(element) {
    element.removeAttribute('aria-invalid');
    const field = element.closest('.field')?.querySelector('.field-error');
    if (field) field.textContent = '';
    const week = element.closest('fieldset.week');
    if (week) {
      week.querySelector(':scope > .field-error').textContent = '';
      for (const node of week.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
    }
  }

  /** Shows each violation next to its field (or the nearest enclosing one); returns the rest. */
  showViolations(violations) {
    for (const node of document.querySelectorAll('.field-error')) node.textContent = '';
    for (const node of document.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
    const unplaced = [];
    for (const violation of violations) {
      const targets = this.targetsOf(toPointer(violation.field));
      const last = targets[targets.length - 1];
      const slot = last?.matches('fieldset')
        ? last.querySelector(':scope > .field-error')
        : last?.closest('.field')?.querySelector('.field-error');
      if (!slot) {
        unplaced.push(violation);
        continue;
      }
      for (const target of targets) {
        target.setAttribute('aria-invalid', 'true');
        target.closest('details')?.setAttribute('open', '');
      }
      const panel = last.closest('[role="tabpanel"]');
      if (panel?.hidden) document.getElementById(panel.getAttribute('aria-labelledby'))?.click();
      const message = frenchMessage(violation.message);
      slot.textContent = slot.textContent ? `${slot.textContent} ; ${message}` : message;
    }
    return unplaced;
  }

  /** The inputs a pointer names: itself, else its fields (a whole range), else its nearest parent. */
  targetsOf(pointer) {
    const exact = (p) => [...document.querySelectorAll(`[data-path="${CSS.escape(p)}"]`)];
    let found = exact(pointer);
    if (!found.length) found = [...document.querySelectorAll(`[data-path^="${CSS.escape(`${pointer}/`)}"]`)];
    while (!found.length && pointer.includes('/')) {
      pointer = pointer.slice(0, pointer.lastIndexOf('/'));
      found = pointer ? exact(pointer) : [];
    }
    return found.filter((node) => !node.matches('details'));
  }
}

/** Monday to Friday with one range each. */
export function weekdays(start, end) {
  return Object.fromEntries(WEEKDAYS.slice(0, 5).map((day) => [day, [{ start, end }]]));
}

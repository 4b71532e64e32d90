// Stops and home visits from a spreadsheet export (`;` or `,` separated), and its template.

import { WEEKDAYS } from './format.js';

export const CSV_COLUMNS = ['name', 'kind', 'lat', 'lon', 'duration_min', 'visits_per_week', 'days', 'start', 'end', 'priority'];

/** The downloadable template: the header and one row of each kind. */
export const CSV_TEMPLATE = '\ufeff' + [
  CSV_COLUMNS.join(';'),
  'Marché de la place;market;45.7640;4.8357;240;1;sat;08:00;13:00;80',
  'Médiathèque;library;45.7600;4.8400;180;2;tue wed thu fri;10:00;18:00;60',
  'Mairie;town_hall;45.7620;4.8300;150;1;mon tue wed thu fri;09:00;17:00;50',
  'visite-001;home_visit;45.7700;4.8500;60;;mon thu;14:00;17:00;70',
].join('\r\n') + '\r\n';

const KINDS = ['market', 'library', 'town_hall', 'partner_site', 'other', 'home_visit'];
const DAY_ALIASES = { lun: 'mon', mar: 'tue', mer: 'wed', jeu: 'thu', ven: 'fri', sam: 'sat', dim: 'sun' };

function split(line, separator) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) { cells.push(cell.trim()); cell = ''; } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

function number(text, what, errors, line) {
  const value = Number.parseFloat(String(text).replace(',', '.'));
  if (!Number.isFinite(value)) errors.push(`ligne ${line}, colonne ${what} : « ${text} » n'est pas un nombre`);
  return value;
}

function time(text, what, errors, line) {
  if (!/^\d{1,2}:\d{2}$/.test(text)) errors.push(`ligne ${line}, colonne ${what} : « ${text} » n'est pas une heure HH:MM`);
  return text.padStart(5, '0');
}

/** Parses the file; returns `{stops, homeVisits, errors}` with every faulty cell listed. */
export function parseCsv(text) {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const errors = [];
  if (lines.length === 0) return { stops: [], homeVisits: [], errors: ['le fichier est vide'] };
  const separator = lines[0].includes(';') ? ';' : ',';
  const header = split(lines[0], separator).map((h) => h.toLowerCase());
  const missing = CSV_COLUMNS.slice(0, 4).filter((c) => !header.includes(c));
  if (missing.length) return { stops: [], homeVisits: [], errors: [`colonnes manquantes : ${missing.join(', ')}`] };
  const stops = [];
  const homeVisits = [];
  lines.slice(1).forEach((text, index) => {
    const line = index + 2;
    const cells = split(text, separator);
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    const kind = row.kind.toLowerCase();
    if (!KINDS.includes(kind)) {
      errors.push(`ligne ${line}, colonne kind : « ${row.kind} » (attendu : ${KINDS.join(', ')})`);
      return;
    }
    const location = { lat: number(row.lat, 'lat', errors, line), lon: number(row.lon, 'lon', errors, line) };
    const days = (row.days || 'mon tue wed thu fri').toLowerCase().split(/[\s,|]+/).filter(Boolean)
      .map((d) => DAY_ALIASES[d.slice(0, 3)] || d.slice(0, 3));
    const badDay = days.find((d) => !WEEKDAYS.includes(d));
    if (badDay) errors.push(`ligne ${line}, colonne days : « ${badDay} » n'est pas un jour (mon … sun)`);
    const start = time(row.start || '09:00', 'start', errors, line);
    const end = time(row.end || '17:00', 'end', errors, line);
    const duration = row.duration_min ? number(row.duration_min, 'duration_min', errors, line) : null;
    const priority = row.priority ? number(row.priority, 'priority', errors, line) : 50;
    if (kind === 'home_visit') {
      homeVisits.push({
        id: row.name || `visite-${line}`, location, duration_min: duration ?? 60, priority,
        slots: days.map((weekday) => ({ weekday, start, end })),
      });
    } else {
      stops.push({
        id: `csv-${line}`, name: row.name || `Arrêt ligne ${line}`, kind, location,
        opening_hours: Object.fromEntries(days.map((d) => [d, [{ start, end }]])),
        duration: duration === null ? 'whole_opening' : { minutes: duration },
        frequency: { visits: row.visits_per_week ? number(row.visits_per_week, 'visits_per_week', errors, line) : 1 },
        priority,
      });
    }
  });
  return { stops, homeVisits, errors };
}

// Stops and home visits from a spreadsheet export, as spreadsheets really write them: `;` or
// `,` separated, UTF-8 or Excel's Windows-1252, English or French headers, kinds, day names and
// times (`lun-ven`, `7h30`, `07:30:00`), several opening ranges a day.

import { WEEKDAYS, fold, slug } from './format.js';

export const CSV_COLUMNS = ['name', 'kind', 'lat', 'lon', 'duration_min', 'visits_per_week', 'days', 'start', 'end', 'priority', 'hours', 'address', 'postcode', 'city'];

/** The downloadable template: the header and one row of each kind, places given by position
 * or by address (the service finds those). */
export const CSV_TEMPLATE = '\ufeff' + [
  CSV_COLUMNS.join(';'),
  'Marché de la place;market;45.7640;4.8357;240;1;sat;08:00;13:00;80;;;;',
  'Médiathèque;library;45.7600;4.8400;180;2;tue-fri;10:00;18:00;60;;;;',
  'Mairie;town_hall;;;150;1;lun-ven;;;50;9h-12h 14h-17h;Place de la Mairie;69001;Lyon',
  'visite-001;home_visit;;;60;;mon thu;14:00;17:00;70;;12 rue de la République;69002;Lyon',
].join('\r\n') + '\r\n';

const KINDS = ['market', 'library', 'town_hall', 'partner_site', 'other', 'home_visit'];

/** French (and common) names of the kinds, accents and case removed. */
const KIND_ALIASES = {
  marche: 'market', bibliotheque: 'library', mediatheque: 'library', mairie: 'town_hall', 'hotel de ville': 'town_hall',
  partenaire: 'partner_site', 'lieu partenaire': 'partner_site', 'site partenaire': 'partner_site', 'centre social': 'partner_site',
  autre: 'other', visite: 'home_visit', 'visite a domicile': 'home_visit', domicile: 'home_visit',
};

/** French headers, accents and case removed, by column. */
const HEADER_ALIASES = {
  nom: 'name', type: 'kind', genre: 'kind', latitude: 'lat', longitude: 'lon', lng: 'lon',
  duree: 'duration_min', 'duree (min)': 'duration_min', duree_min: 'duration_min',
  passages: 'visits_per_week', passages_par_semaine: 'visits_per_week', visites_par_semaine: 'visits_per_week',
  jours: 'days', debut: 'start', fin: 'end', priorite: 'priority', horaires: 'hours',
  adresse: 'address', 'code postal': 'postcode', code_postal: 'postcode', cp: 'postcode', commune: 'city', ville: 'city',
};

const DAY_ALIASES = { lun: 'mon', mar: 'tue', mer: 'wed', jeu: 'thu', ven: 'fri', sam: 'sat', dim: 'sun' };

/**
 * The file's text: UTF-8 when it is valid UTF-8, else Windows-1252 (what Excel writes for a
 * French "CSV (séparateur : point-virgule)"); says which.
 */
export function decode(bytes) {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

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

/** A decimal number with a point or a comma; anything else (`24,95O79`) is an error. */
function number(text, what, errors, line) {
  const clean = String(text).trim().replace(/\s/g, '');
  if (!/^[-+]?\d+([.,]\d+)?$/.test(clean)) {
    errors.push(`ligne ${line}, colonne ${what} : « ${text} » n'est pas un nombre`);
    return Number.NaN;
  }
  return Number.parseFloat(clean.replace(',', '.'));
}

/** `HH:MM` from `7:30`, `07:30:00`, `7h30`, `7h` or `7 h 30`; null when it is none of those. */
export function clock(text) {
  const m = /^(\d{1,2})\s*(?::|h)\s*(\d{2})?(?::\d{2})?\s*$/i.exec(String(text).trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

function time(text, what, errors, line) {
  const value = clock(text);
  if (!value) errors.push(`ligne ${line}, colonne ${what} : « ${text} » n'est pas une heure (09:30, 9h30)`);
  return value;
}

function weekday(word) {
  const key = fold(word).slice(0, 3);
  return DAY_ALIASES[key] || (WEEKDAYS.includes(key) ? key : null);
}

/** Days from `mon tue`, `lun, mar`, `lun-ven`, `lundi au vendredi`, `mon-fri`. */
export function days(text) {
  const words = fold(text).replace(/\s+(au|a)\s+/g, '-').split(/[\s,;|/]+/).filter(Boolean);
  const out = [];
  for (const word of words) {
    const range = word.split('-');
    if (range.length === 2) {
      const [from, to] = range.map(weekday);
      if (!from || !to) return { error: word };
      let i = WEEKDAYS.indexOf(from);
      for (;;) {
        out.push(WEEKDAYS[i]);
        if (WEEKDAYS[i] === to) break;
        i = (i + 1) % 7;
      }
    } else {
      const day = weekday(word);
      if (!day) return { error: word };
      out.push(day);
    }
  }
  return { days: [...new Set(out)] };
}

/** Opening ranges from `9h-12h 14h-17h` or `09:00-12:00, 14:00-17:00`. */
function ranges(text, errors, line) {
  const parts = String(text).split(/[,;]|\s+et\s+|\s+(?=\d{1,2}\s*[h:]\s*\d{0,2}\s*-)/i).map((p) => p.trim()).filter(Boolean);
  const out = [];
  for (const part of parts) {
    const [a, b, ...rest] = part.split(/\s*[-–à]\s*/);
    const start = clock(a ?? '');
    const end = clock(b ?? '');
    if (!start || !end || rest.length) {
      errors.push(`ligne ${line}, colonne hours : « ${part} » n'est pas une plage (9h-12h)`);
      continue;
    }
    out.push({ start, end });
  }
  return out;
}

/** A column's name, English or French. */
function column(header) {
  const key = fold(header).replace(/\s+/g, ' ');
  return CSV_COLUMNS.includes(key) ? key : HEADER_ALIASES[key] || HEADER_ALIASES[key.replace(/ /g, '_')] || key;
}

/**
 * Parses the file; returns `{stops, homeVisits, errors, addresses}` with every faulty cell
 * listed by line and column. A row places its stop or visit by `lat` and `lon`, or, when they
 * are empty, by `address` (with `postcode` and `city` when given): `addresses` lists those
 * locations with their line, to be found by the service before planning. `known` (ids already
 * in the problem) makes a row that repeats one an error, as a row repeating an earlier one of
 * the file is.
 */
export function parseCsv(text, known = new Set()) {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/).map((l, i) => [l, i + 1]).filter(([l]) => l.trim() !== '');
  const errors = [];
  if (lines.length === 0) return { stops: [], homeVisits: [], addresses: [], errors: ['le fichier est vide'] };
  const separator = lines[0][0].includes(';') ? ';' : ',';
  const header = split(lines[0][0], separator).map(column);
  const placed = header.includes('address') ? [] : ['lat', 'lon'];
  const missing = ['name', 'kind', ...placed].filter((c) => !header.includes(c));
  if (missing.length) {
    return {
      stops: [], homeVisits: [], addresses: [],
      errors: [`colonnes manquantes : ${missing.join(', ')} (ou nom, type, latitude, longitude ; ou adresse au lieu de latitude et longitude)`],
    };
  }
  const stops = [];
  const homeVisits = [];
  const addresses = [];
  const seen = new Map();
  for (const [text, line] of lines.slice(1)) {
    const cells = split(text, separator);
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    const kind = KINDS.includes(fold(row.kind)) ? fold(row.kind) : KIND_ALIASES[fold(row.kind).replace(/[-_]/g, ' ')];
    if (!kind) {
      errors.push(`ligne ${line}, colonne kind : « ${row.kind} » (attendu : ${KINDS.join(', ')}, ou marché, bibliothèque, mairie, partenaire, autre, visite)`);
      continue;
    }
    const byAddress = row.address && !row.lat && !row.lon;
    const location = byAddress
      ? { address: row.address, ...(row.postcode && { postcode: row.postcode }), ...(row.city && { city: row.city }) }
      : { lat: number(row.lat, 'lat', errors, line), lon: number(row.lon, 'lon', errors, line) };
    if (byAddress) addresses.push({ line, location });
    const parsed = days(row.days || 'lun-ven');
    if (parsed.error) errors.push(`ligne ${line}, colonne days : « ${parsed.error} » n'est pas un jour (lun … dim, lun-ven)`);
    const open = row.hours
      ? ranges(row.hours, errors, line)
      : [{ start: time(row.start || '09:00', 'start', errors, line), end: time(row.end || '17:00', 'end', errors, line) }];
    const duration = row.duration_min ? number(row.duration_min, 'duration_min', errors, line) : null;
    const priority = row.priority ? number(row.priority, 'priority', errors, line) : 50;
    const id = kind === 'home_visit' ? (row.name || `visite-${line}`) : `csv-${slug(row.name || `arret-${line}`) || 'arret'}`;
    const twice = seen.get(id);
    if (twice) errors.push(`ligne ${line} : « ${row.name || id} » figure déjà ligne ${twice}`);
    else if (known.has(id)) errors.push(`ligne ${line} : « ${row.name || id} » est déjà dans le problème (identifiant ${id})`);
    seen.set(id, line);
    const weekdays = parsed.days || [];
    if (kind === 'home_visit') {
      homeVisits.push({
        id, location, duration_min: duration ?? 60, priority,
        slots: weekdays.flatMap((weekday) => open.map((r) => ({ weekday, ...r }))),
      });
    } else {
      stops.push({
        id, name: row.name || `Arrêt ligne ${line}`, kind, location,
        opening_hours: Object.fromEntries(weekdays.map((d) => [d, open.map((r) => ({ ...r }))])),
        duration: duration === null ? 'whole_opening' : { minutes: duration },
        frequency: { visits: row.visits_per_week ? number(row.visits_per_week, 'visits_per_week', errors, line) : 1 },
        priority,
      });
    }
  }
  return { stops, homeVisits, errors, addresses };
}

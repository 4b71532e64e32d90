// French labels and small formatting helpers shared by the views.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const WEEKDAY_LABEL = {
  mon: 'lundi', tue: 'mardi', wed: 'mercredi', thu: 'jeudi', fri: 'vendredi', sat: 'samedi', sun: 'dimanche',
};
export const UNIT_KINDS = { bus: 'Bus', camping_car: 'Camping-car', triporteur: 'Triporteur', car: 'Voiture' };
export const STOP_KINDS = {
  market: 'Marché', library: 'Bibliothèque', town_hall: 'Mairie', partner_site: 'Lieu partenaire', other: 'Autre',
};
/** Unserved reasons by code, in the order of their precedence (docs/planning-format.md). */
export const REASONS = {
  no_allowed_unit: 'aucune unité autorisée',
  missing_equipment: "aucune unité n'a l'équipement demandé",
  off_road: 'trop loin des routes des unités autorisées',
  closed_on_working_days: 'ouvert seulement des jours où aucune unité ne travaille',
  no_slot_in_cycle: 'aucun créneau dans le cycle',
  closed_in_period: 'fermé pendant la période',
  closed_date: 'jour fermé',
  out_of_reach: 'hors de portée des unités, même ouvert toute la journée',
  slot_too_short: 'créneau trop court',
  no_capacity: 'plus de place dans les tournées',
  not_worth_it: 'écarté au profit des priorités',
};

/**
 * An unserved visit's reason in French with its detail (the holiday, the period, the minutes);
 * the server's message for a code the page does not know.
 */
export function reasonText(reason, message) {
  const label = REASONS[reason?.code];
  if (!label) return message;
  const detail = reason.detail;
  if (reason.code === 'closed_date' && detail) {
    return `${label} (${detail.split(', ').map((n) => (n === 'closed date' ? 'fermeture' : n)).join(', ')})`;
  }
  if (reason.code === 'closed_in_period' && detail) return `${label} ${detail}`;
  if (reason.code === 'slot_too_short' && detail) return `${label} : ${shortWindow(detail)}`;
  if (reason.code === 'off_road' && detail?.tried?.length) return `${label} : ${roadsTried(detail.tried)}`;
  return label;
}

/** "aucune route praticable en voiture à moins de 500 m (la plus proche à 70 214 m)", per network. */
function roadsTried(tried) {
  return tried
    .map((road) => {
      const unit = (UNIT_KINDS[road.kind] ?? road.kind).toLowerCase();
      const nearest = road.nearest_m == null
        ? 'aucune sur le réseau'
        : `la plus proche à ${road.nearest_m.toLocaleString('fr-FR')} m`;
      return `aucune route praticable en ${unit} à moins de ${road.limit_m} m (${nearest})`;
    })
    .join(' ; ');
}

function shortWindow(w) {
  const numbers = `${w.needed_min} min nécessaires, ${w.available_min} disponibles`;
  const open = `${w.open.start}–${w.open.end}`;
  if (!w.unit_hours) return `la plage la plus longue (${open}) est plus courte que la visite : ${numbers}`;
  const hours = `de ${w.unit_hours.start} à ${w.unit_hours.end}`;
  return `ouvert ${open} mais les unités travaillent ${hours} et sont à ${w.drive_min} min : ${numbers}`;
}

/** One colour per unit, readable on white and distinct for common colour blindness. */
export const COLOURS = ['#0b5fa5', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0f766e', '#a16207', '#be185d'];

export function hours(minutes) {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return `${h} h ${String(m).padStart(2, '0')}`;
}

export function dayLabel(date) {
  const d = new Date(`${date}T12:00:00Z`);
  const text = d.toLocaleDateString('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The dates of a cycle, from its start, over its working weekdays. */
export function cycleDates(horizon) {
  const days = horizon.working_days || ['mon', 'tue', 'wed', 'thu', 'fri'];
  const start = new Date(`${horizon.start}T12:00:00Z`);
  const dates = [];
  for (let i = 0; i < 7 * (horizon.weeks || 1); i++) {
    const d = new Date(start.getTime() + i * 86400000);
    const weekday = WEEKDAYS[(d.getUTCDay() + 6) % 7];
    if (days.includes(weekday)) dates.push({ date: d.toISOString().slice(0, 10), weekday, week: Math.floor(i / 7) + 1 });
  }
  return dates;
}

/** "13 h 20" from "13:20", as French timetables write a time. */
export function clockFr(clock) {
  const [h, m] = String(clock).split(':');
  return `${Number(h)} h ${m}`;
}

/** A number the French way: "24,4", "1 339" (a narrow no-break space between thousands). */
export function numberFr(value, decimals = 0) {
  return Number(value).toLocaleString('fr-FR', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** "1 visite", "3 visites": the word after a count, singular for 0 and 1 as French has it. */
export function plural(count, one, many) {
  return `${numberFr(count)} ${Math.abs(count) < 2 ? one : many}`;
}

/** "toutes les semaines", "toutes les 2 semaines": how often a stop is served. */
export function everyWeeks(weeks) {
  return !weeks || weeks === 1 ? 'toutes les semaines' : `toutes les ${weeks} semaines`;
}

/** Lower case without accents: how names are compared. */
export function fold(text) {
  return String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

/** A file name or id part from a name: lower case, no accents, words joined by dashes. */
export function slug(text) {
  return fold(text).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

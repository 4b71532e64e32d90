// The service's validation messages in French, for the page: the API keeps its English
// messages (integrators read them), the page translates the ones it knows by their form and
// shows the others as they are.

import { WEEKDAY_LABEL } from './format.js';

const clock = (t) => t.replace(/^(\d{2}):(\d{2})$/, (_, h, m) => `${Number(h)} h ${m}`);

/** `[pattern, French]` pairs, tried in order; the first that matches wins. */
const RULES = [
  [/^ends \((\d{2}:\d{2})\) before it starts \((\d{2}:\d{2})\)$/, (m) => `la fin (${clock(m[1])}) est avant le début (${clock(m[2])})`],
  [/^invalid value: integer `(-?\d+)`, expected (u8|u16|u32|u64)$/, (m) => `« ${m[1]} » : un nombre entier positif est attendu`],
  [/^invalid type: (.+), expected (.+)$/, () => 'valeur d’un type inattendu'],
  [/^missing field `(\w+)`$/, (m) => `le champ « ${FIELDS[m[1]] || m[1]} » manque`],
  [/^unknown variant `([^`]*)`, expected (.+)$/, (m) => `« ${m[1]} » n’est pas une valeur permise`],
  [/^must be 1 to 100, got (.+)$/, (m) => `doit être entre 1 et 100 (valeur : ${m[1]})`],
  [/^must be 1 to 1440 minutes, got (.+)$/, (m) => `doit être entre 1 et 1440 minutes (valeur : ${m[1]})`],
  [/^must be 1 to 6, got (.+)$/, (m) => `doit être entre 1 et 6 (valeur : ${m[1]})`],
  [/^must be a non-negative number, got (.+)$/, (m) => `doit être un nombre positif ou nul (valeur : ${m[1]})`],
  [/^must be a positive number$|^must be positive$/, () => 'doit être un nombre positif'],
  [/^must be at least 1$/, () => 'doit valoir au moins 1'],
  [/^must not be empty$/, () => 'ne doit pas être vide'],
  [/^must be positive and fit the window \((\d+) min\)$/, (m) => `doit être positive et tenir dans la fenêtre (${m[1]} min)`],
  [/^\((.+), (.+)\) is not a WGS84 position$/, (m) => `(${m[1]}, ${m[2]}) n’est pas une position valable (latitude −90 à 90, longitude −180 à 180)`],
  [/^"(.+)" is used twice$/, (m) => `l’identifiant « ${m[1]} » est utilisé deux fois`],
  [/^no stop "(.+)"$/, (m) => `aucun arrêt « ${m[1]} »`],
  [/^no unit "(.+)"$/, (m) => `aucune unité « ${m[1]} »`],
  [/^(\w{3}) is not a working day$/, (m) => `le ${WEEKDAY_LABEL[m[1]] || m[1]} n’est pas un jour travaillé`],
  [/^(.+) is closed on (\w{3})$/, (m) => `« ${m[1]} » est fermé le ${WEEKDAY_LABEL[m[2]] || m[2]}`],
  [/^(.+) does not take (\w+) units$/, (m) => `« ${m[1]} » n’accepte pas les unités de type ${m[2]}`],
  [/^(.+) does not work on (\w{3})$/, (m) => `« ${m[1]} » ne travaille pas le ${WEEKDAY_LABEL[m[2]] || m[2]}`],
  [/^(.+) lacks the equipment (.+)$/, (m) => `« ${m[1]} » n’a pas l’équipement ${m[2]}`],
  [/^week (\d+) is outside the cycle$/, (m) => `la semaine ${m[1]} est hors du cycle`],
  [/^at least one slot is required$/, () => 'au moins un créneau est nécessaire'],
  [/^at least one unit is required$/, () => 'au moins une unité est nécessaire'],
  [/^at least one working day is required$/, () => 'au moins un jour travaillé est nécessaire'],
  [/^a day is listed twice$/, () => 'un jour figure deux fois'],
  [/^give either a date or a weekday$/, () => 'donnez une date ou un jour de la semaine, pas les deux'],
  [/^give one range per day \(the lunch break is separate\)$/, () => 'une seule plage par jour (la pause déjeuner est à part)'],
  [/^(\d+) is below min_gap_days (\d+)$/, (m) => `${m[1]} est inférieur à l’écart minimal (${m[2]} jours)`],
  [/^line (\d+), column (\d+): (.+)$/, (m) => `ligne ${m[1]}, colonne ${m[2]} : ${frenchMessage(m[3])}`],
  [/^"(.*)" is not a date YYYY-MM-DD$/, (m) => `« ${m[1]} » n’est pas une date AAAA-MM-JJ`],
  [/^"(.*)" is not a whole number of people ≥ 0$/, (m) => `« ${m[1]} » n’est pas un nombre entier de personnes (0 ou plus)`],
  [/^"(.*)" is not one of demarches, numerique, sante, autre$/, (m) => `« ${m[1]} » n’est pas un motif permis (demarches, numerique, sante, autre)`],
  [/^expected stop;date;visitors\[;topic\], found (\d+) field\(s\)$/, (m) => `attendu arrêt;date;personnes[;motif], trouvé ${m[1]} champ(s)`],
  [/^the stop id is empty$/, () => 'l’identifiant de l’arrêt est vide'],
  [/^the plan never visits stop "(.+)"$/, (m) => `le planning en vigueur ne passe jamais à l’arrêt « ${m[1]} »`],
  [/^the plan does not visit stop "(.+)" on (\S+) \((\w{3})\): it visits it on (.+) of each (\d+)-week cycle starting (\S+)$/,
    (m) => `le planning en vigueur ne passe pas à l’arrêt « ${m[1]} » le ${WEEKDAY_LABEL[m[3]] || m[3]} ${m[2]} : il y passe ` +
      `${m[4].replace(/w(\d+) (\w{3})/g, (_, week, day) => `le ${WEEKDAY_LABEL[day] || day} (semaine ${week})`)} d’un cycle de ${m[5]} semaine(s) commencé le ${m[6]}`],
  [/^no attendance is recorded for territory "(.+)": record visits first$/, (m) => `aucune fréquentation n’est enregistrée pour le territoire « ${m[1]} » : saisissez d’abord des passages`],
  [/no road .* within (\d+) m \(nearest at (\d+) m\)/, (m) => `aucune route praticable à moins de ${m[1]} m (la plus proche à ${Number(m[2]).toLocaleString('fr-FR')} m)`],
];

/** French names of the fields a "missing field" message may name. */
const FIELDS = {
  start: 'début', end: 'fin', id: 'identifiant', lat: 'latitude', lon: 'longitude', kind: 'type',
  units: 'unités', hours: 'heures de travail', location: 'position', depot: 'dépôt', weekday: 'jour', slots: 'disponibilités',
};

/** The service's message in French when the page knows its form, else as the service wrote it. */
export function frenchMessage(message) {
  const text = String(message ?? '');
  for (const [pattern, french] of RULES) {
    const m = pattern.exec(text);
    if (m) return french(m);
  }
  return text;
}

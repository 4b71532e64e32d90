// Addresses in the editor: a place's address field suggests the territory's addresses as one
// types (the service's GET /v1/territories/{id}/geocode), and choosing a suggestion sets the
// place's position, with the label and score it was found with; a click on the map moves the
// place whose address field was last used to the point clicked, labelled with the nearest
// address (GET /v1/territories/{id}/reverse).

import { api } from './api.js';

/** Fields holding a place's address. */
const ADDRESS_FIELD = '[data-path$="/location/address"], [data-path$="/depot/address"]';

/** Typing pauses this long before a search. */
const DEBOUNCE_MS = 250;

/** Shortest text searched. */
const MIN_CHARS = 3;

/** The one list of suggestions every address field shows (`list="address-suggestions"`). */
function suggestionList() {
  let list = document.getElementById('address-suggestions');
  if (!list) {
    list = document.createElement('datalist');
    list.id = 'address-suggestions';
    document.body.append(list);
  }
  return list;
}

/**
 * Suggests addresses in the address fields of `panels`. `territory()` gives the territory
 * searched (none: no suggestions), `getProblem()` the problem edited; `onPicked()` runs after a
 * suggestion or a click set a position. Registered after the editor, so that its own `change`
 * handler has stored the text first. Returns the handler of a click on the map.
 */
export function suggestAddresses(panels, territory, getProblem, onPicked) {
  const found = new Map();
  let lastField = null;
  let timer = null;
  let asked = 0;
  const search = async (text) => {
    const id = territory();
    if (!id || text.trim().length < MIN_CHARS) return;
    const ticket = ++asked;
    let answer;
    try {
      answer = await api.geocode(id, text);
    } catch {
      return;
    }
    if (ticket !== asked) return;
    found.clear();
    for (const feature of answer.features || []) found.set(feature.properties.label, feature);
    suggestionList().replaceChildren(...[...found.keys()].map((label) => Object.assign(document.createElement('option'), { value: label })));
  };
  for (const panel of Object.values(panels)) {
    panel.addEventListener('input', (event) => {
      if (!event.target.matches?.(ADDRESS_FIELD)) return;
      clearTimeout(timer);
      timer = setTimeout(() => search(event.target.value), DEBOUNCE_MS);
    });
    panel.addEventListener('focusin', (event) => {
      if (event.target.matches?.(ADDRESS_FIELD)) lastField = event.target.dataset.path;
    });
    panel.addEventListener('change', (event) => {
      if (!event.target.matches?.(ADDRESS_FIELD)) return;
      const location = locationOf(getProblem(), event.target.dataset.path);
      if (!location) return;
      const feature = found.get(event.target.value);
      delete location.label;
      delete location.score;
      if (!feature) return;
      const [lon, lat] = feature.geometry.coordinates;
      Object.assign(location, { lat, lon, label: feature.properties.label, score: feature.properties.score });
      onPicked();
    });
  }
  /** The map's click: where the place of the last address field used now is. */
  return async ({ lat, lng }) => {
    const id = territory();
    // Only while that place's form is open: a click elsewhere on the map selects visits.
    const editing = lastField && document.querySelector(`[data-path="${lastField}"]`)?.closest('details')?.open;
    const location = editing && locationOf(getProblem(), lastField);
    if (!id || !location) return;
    let answer;
    try {
      answer = await api.reverse(id, lat, lng);
    } catch {
      return;
    }
    const nearest = answer.features?.[0]?.properties;
    Object.assign(location, { lat, lon: lng });
    delete location.score;
    delete location.label;
    // The old address no longer says where the place is: the nearest one does, if any.
    if (nearest) Object.assign(location, { address: nearest.label, label: nearest.label });
    else delete location.address;
    onPicked();
  };
}

/** The location object holding the field at `pointer` (`/stops/3/location/address`). */
function locationOf(problem, pointer) {
  const keys = pointer.split('/').slice(1, -1);
  return keys.reduce((o, key) => (o == null ? undefined : o[key]), problem);
}

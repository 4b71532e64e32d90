// The citizens' timetable (/p/{token}): the list of stops is in the page already; this adds the
// map of the stops (the dispatcher's map, without routes or depots: a letter per unit in each
// marker, so that colour is never the only cue) and the search box's filtering by commune.

import * as L from '/assets/leaflet-src.esm.js';
import { PlanMap } from './map.js';
import { fold } from './format.js';

/** A name or a query as the server folds it: no accents, no punctuation, single spaces. */
function searchable(text) {
  return fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function setUpSearch() {
  const input = document.getElementById('search');
  const count = document.getElementById('search-count');
  const none = document.getElementById('no-match');
  const stops = [...document.querySelectorAll('li.stop')];
  const filter = () => {
    const query = searchable(input.value);
    let shown = 0;
    for (const stop of stops) {
      const match = !query || stop.dataset.search.includes(query);
      stop.hidden = !match;
      if (match) shown += 1;
    }
    none.hidden = shown > 0;
    count.textContent = query ? `${shown} arrêt${shown > 1 ? 's' : ''} pour « ${input.value.trim()} »` : '';
  };
  input.addEventListener('input', filter);
  document.getElementById('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    filter();
    const first = stops.find((s) => !s.hidden);
    if (first) {
      first.querySelector('a')?.focus();
      first.scrollIntoView({ block: 'start' });
    }
  });
}

async function setUpMap() {
  const element = document.getElementById('map');
  const response = await fetch(document.body.dataset.data);
  if (!response.ok) return;
  const timetable = await response.json();
  const map = new PlanMap(element, () => {});
  const markers = L.featureGroup();
  for (const stop of timetable.stops) {
    const units = [...new Set(stop.slots.map((s) => s.unit))].map((i) => timetable.units[i]).filter(Boolean);
    const first = units[0];
    const letters = units.map((u) => u.letter).join('');
    const marker = L.marker([stop.lat, stop.lon], {
      title: stop.name,
      alt: stop.name,
      icon: L.divIcon({
        className: `stop-marker ${first ? first.class : ''}`,
        html: `<span>${letters}</span>`,
        iconSize: [28, 28],
      }),
    });
    marker.on('click', () => {
      const entry = document.getElementById(stop.anchor);
      entry?.scrollIntoView({ block: 'start' });
      entry?.querySelector('a')?.focus();
    });
    markers.addLayer(marker);
  }
  const bounds = markers.getBounds();
  // The streets under the stops; the map still shows the stops when they cannot be had.
  const streets = await fetch(document.body.dataset.data.replace(/data\.json$/, 'rues.geojson'))
    .then((answer) => (answer.ok ? answer.json() : null))
    .catch(() => null);
  map.showTerritory(streets, document.body.dataset.tileUrl || null, null);
  if (bounds.isValid()) map.fit(bounds);
  markers.addTo(map.map);
  // The list gives the same stops with their names and links: the markers stay out of the
  // keyboard's way, as the dispatcher's map's paths do.
  for (const icon of element.querySelectorAll('.leaflet-marker-icon')) {
    icon.setAttribute('tabindex', '-1');
  }
  document.body.dataset.mapReady = String(timetable.stops.length);
}

setUpSearch();
setUpMap().catch(() => {
  document.getElementById('map').textContent = 'La carte n’a pas pu être chargée ; la liste ci-dessous donne tous les arrêts.';
});

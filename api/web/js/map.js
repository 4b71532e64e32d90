// The map: the territory's own road network (no tile server needed), each unit-day's route
// along the roads in its unit's colour, and the visits as markers with their time slot.

import * as L from '/assets/leaflet-src.esm.js';
import { escapeHtml, dayLabel } from './format.js';

export class PlanMap {
  constructor(element, onSelect) {
    this.map = L.map(element, { zoomSnap: 0.25, zoomControl: false });
    L.control.zoom({ zoomInTitle: 'Zoom avant', zoomOutTitle: 'Zoom arrière' }).addTo(this.map);
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution('© contributeurs <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> (ODbL)');
    this.tiles = null;
    this.roads = L.layerGroup().addTo(this.map);
    this.routes = L.layerGroup().addTo(this.map);
    this.coverage = L.layerGroup().addTo(this.map);
    this.visits = L.layerGroup().addTo(this.map);
    this.markers = new Map();
    this.onSelect = onSelect;
    this.selected = null;
    this.hasView = false;
    /** Set by the page: a click on the map, off the markers, at `{lat, lng}`. */
    this.onPoint = null;
    this.map.on('click', (event) => this.onPoint?.(event.latlng));
  }

  /**
   * Takes the drawn paths out of the keyboard's way: the timetable gives the same visits with
   * names, where a tab through dozens of unnamed routes and markers gave nothing.
   */
  unfocusPaths() {
    for (const path of this.map.getContainer().querySelectorAll('path')) {
      path.setAttribute('tabindex', '-1');
      path.setAttribute('aria-hidden', 'true');
    }
  }

  fit(bounds) {
    if (!bounds?.isValid()) return;
    this.map.fitBounds(bounds, { padding: [10, 10] });
    this.hasView = true;
  }

  /**
   * Draws the territory: its roads, and tiles from `tileUrl` when one is configured; `bbox`
   * (`[west, south, east, north]`) frames it when it has no roads to show.
   */
  showTerritory(roads, tileUrl, bbox) {
    this.roads.clearLayers();
    if (this.tiles) this.tiles.remove();
    this.tiles = tileUrl ? L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(this.map) : null;
    const layer = L.geoJSON(roads, { style: { color: '#9aa5b1', weight: 1.5, opacity: 0.9 }, interactive: false });
    this.roads.addLayer(layer);
    const bounds = layer.getBounds();
    if (bounds.isValid()) this.fit(bounds);
    else if (bbox) this.fit(L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]));
  }

  /**
   * Draws a plan. `geojson` holds the routes along the roads (LineStrings with a `unit`
   * property); `visits` are `{key, unit, lat, lon, label, colour}`.
   */
  showPlan(geojson, visits, colourOf) {
    this.routes.clearLayers();
    this.visits.clearLayers();
    this.markers.clear();
    this.routeLayers = new Map();
    for (const feature of geojson?.features || []) {
      const type = feature.geometry?.type;
      if (type !== 'LineString' && type !== 'MultiLineString') continue;
      const unit = feature.properties?.unit;
      const date = feature.properties?.date;
      const layer = L.geoJSON(feature, { style: { color: colourOf(unit), weight: 4, opacity: 0.75 } })
        .bindTooltip(`${escapeHtml(unit)}${date ? ` — ${dayLabel(date)}` : ''}`, { sticky: true })
        .addTo(this.routes);
      this.routeLayers.set(`${unit}|${date}`, layer);
    }
    for (const visit of visits) {
      const marker = L.circleMarker([visit.lat, visit.lon], {
        radius: 7, color: '#111', weight: 1, fillColor: visit.colour, fillOpacity: 0.95,
      }).bindTooltip(visit.label);
      marker.on('click', () => this.onSelect(visit.key));
      marker.on('mouseover', () => this.onHover?.(visit.key));
      marker.addTo(this.visits);
      this.markers.set(visit.key, marker);
    }
    if (!this.hasView) this.fit(L.featureGroup([...this.routes.getLayers(), ...this.visits.getLayers()]).getBounds());
    this.unfocusPaths();
  }

  /**
   * Draws a coverage answer: the roads each chosen site reaches within the threshold, the
   * chosen sites, and the inhabited places, green when covered, red when not.
   */
  showCoverage(geojson) {
    this.coverage.clearLayers();
    const layer = L.geoJSON(geojson, {
      style: (f) => (f.properties.layer === 'reach' ? { color: '#15803d', weight: 3, opacity: 0.45 } : {}),
      pointToLayer: (f, at) => (f.properties.layer === 'site'
        ? L.circleMarker(at, { radius: 9, color: '#111', weight: 2, fillColor: '#facc15', fillOpacity: 1 })
        : L.circleMarker(at, { radius: 5, color: '#111', weight: 1, fillColor: f.properties.covered ? '#16a34a' : '#dc2626', fillOpacity: 0.9 })),
      onEachFeature: (f, l) => {
        const p = f.properties;
        if (p.layer === 'site') {
          l.bindTooltip(p.population_served == null ? escapeHtml(p.name) : `${escapeHtml(p.name)} — ${Math.round(p.population_served)} habitants`);
        }
        if (p.layer === 'demand') l.bindTooltip(`${escapeHtml(p.name)} (${Math.round(p.population)} hab.) ${p.covered ? 'couvert' : 'non couvert'}`);
      },
    });
    this.coverage.addLayer(layer);
    this.fit(layer.getBounds());
    this.unfocusPaths();
  }

  /**
   * Emphasises one visit, shows its label and thickens its unit-day's route; `pan: false` keeps
   * the view (a hover must not move the map under the pointer).
   */
  highlight(key, { pan = true } = {}) {
    const previous = this.markers.get(this.selected);
    if (previous) previous.setStyle({ radius: 7, weight: 1 }).closeTooltip();
    this.routeLayers?.get(this.selectedRoute)?.setStyle({ weight: 4, opacity: 0.75 });
    this.selected = key;
    const [unit, date] = String(key).split('|');
    this.selectedRoute = `${unit}|${date}`;
    this.routeLayers?.get(this.selectedRoute)?.setStyle({ weight: 8, opacity: 1 }).bringToFront();
    const marker = this.markers.get(key);
    if (!marker) return;
    marker.setStyle({ radius: 11, weight: 3 }).bringToFront().openTooltip();
    if (pan) this.map.panTo(marker.getLatLng());
  }
}

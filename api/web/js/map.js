// The map: the territory's own road network (no tile server needed), each unit-day's route
// along the roads in its unit's colour, and the visits as markers with their time slot.

import * as L from '/assets/leaflet-src.esm.js';
import { escapeHtml, dayLabel } from './format.js';

export class PlanMap {
  constructor(element, onSelect) {
    this.map = L.map(element, { zoomSnap: 0.25 });
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution('© contributeurs <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> (ODbL)');
    this.tiles = null;
    this.roads = L.layerGroup().addTo(this.map);
    this.routes = L.layerGroup().addTo(this.map);
    this.visits = L.layerGroup().addTo(this.map);
    this.markers = new Map();
    this.onSelect = onSelect;
    this.selected = null;
    this.hasView = false;
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
    for (const feature of geojson?.features || []) {
      const type = feature.geometry?.type;
      if (type !== 'LineString' && type !== 'MultiLineString') continue;
      const unit = feature.properties?.unit;
      const date = feature.properties?.date;
      L.geoJSON(feature, { style: { color: colourOf(unit), weight: 4, opacity: 0.75 } })
        .bindTooltip(`${escapeHtml(unit)}${date ? ` — ${dayLabel(date)}` : ''}`, { sticky: true })
        .addTo(this.routes);
    }
    for (const visit of visits) {
      const marker = L.circleMarker([visit.lat, visit.lon], {
        radius: 7, color: '#111', weight: 1, fillColor: visit.colour, fillOpacity: 0.95,
      }).bindTooltip(visit.label);
      marker.on('click', () => this.onSelect(visit.key));
      marker.addTo(this.visits);
      this.markers.set(visit.key, marker);
    }
    if (!this.hasView) this.fit(L.featureGroup([...this.routes.getLayers(), ...this.visits.getLayers()]).getBounds());
  }

  /** Emphasises one visit and shows its label. */
  highlight(key) {
    const previous = this.markers.get(this.selected);
    if (previous) previous.setStyle({ radius: 7, weight: 1 }).closeTooltip();
    this.selected = key;
    const marker = this.markers.get(key);
    if (!marker) return;
    marker.setStyle({ radius: 11, weight: 3 }).bringToFront().openTooltip();
    this.map.panTo(marker.getLatLng());
  }
}

// The HTTP API of `tournee serve`, as the page uses it. Every failure becomes an ApiError that
// carries the server's JSON error (code, message, field, violations).

import { slug } from './format.js';

/** A refused or failed request, with what the server said. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = error?.code;
    this.field = error?.field;
    this.violations = error?.violations || (error?.field ? [{ field: error.field, message: error.message }] : []);
  }
}

/** The access token, when the service requires one (kept for this browser tab only). */
export const access = {
  get token() { return sessionStorage.getItem('tournee-token') || ''; },
  set token(value) { if (value) sessionStorage.setItem('tournee-token', value); else sessionStorage.removeItem('tournee-token'); },
};

/**
 * A call to the API with the page's token: the JSON answer, or an ApiError. The body is sent as
 * JSON, or as it is when its content `type` is given (a CSV import).
 */
export async function request(method, url, body, type) {
  const init = { method, headers: {} };
  if (access.token) init.headers.Authorization = `Bearer ${access.token}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = type || 'application/json';
    init.body = type ? body : JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) throw new ApiError(response.status, json?.error || { message: text });
  return json;
}

export const api = {
  territories: () => request('GET', '/v1/territories'),
  roads: (territory) => request('GET', `/v1/territories/${encodeURIComponent(territory)}/roads`),
  pois: (territory) => request('GET', `/v1/territories/${encodeURIComponent(territory)}/pois`),
  geocode: (territory, q) => request('GET', `/v1/territories/${encodeURIComponent(territory)}/geocode?q=${encodeURIComponent(q)}&limit=5`),
  reverse: (territory, lat, lon) => request('GET', `/v1/territories/${encodeURIComponent(territory)}/reverse?lat=${lat}&lon=${lon}`),
  geocodeBatch: (territory, queries) => request('POST', `/v1/territories/${encodeURIComponent(territory)}/geocode`, { queries }),
  demo: () => request('GET', '/v1/demo'),
  submit: (problem) => request('POST', '/v1/plans', problem),
  job: (id) => request('GET', `/v1/plans/${encodeURIComponent(id)}`),
  cancel: (id) => request('POST', `/v1/plans/${encodeURIComponent(id)}/cancel`),
  coverage: (body) => request('POST', '/v1/coverage', body),
  coverageJob: (id, wait) => request('GET', `/v1/coverage/${encodeURIComponent(id)}?wait=${wait}`),
  geojson: (id) => request('GET', `/v1/plans/${encodeURIComponent(id)}/plan.geojson`),
  plans: () => request('GET', '/v1/plans?status=done&limit=20'),
  problemOf: (id) => request('GET', `/v1/plans/${encodeURIComponent(id)}/problem.json`),
  record: (batch) => request('POST', '/v1/attendance', batch),
  importAttendance: (plan, csv) => request('POST', `/v1/attendance?plan=${encodeURIComponent(plan)}`, csv, 'text/csv'),
  attendanceSummary: (territory) => request('GET', `/v1/attendance/summary?territory=${encodeURIComponent(territory)}`),
  propose: (plan, body) => request('POST', `/v1/plans/${encodeURIComponent(plan)}/proposal?wait=5`, body),
};

/**
 * Saves the file of a download `link` with the page's token: a plain link cannot carry it, so
 * the click is replaced by a fetch. Without a token the link downloads by itself.
 */
export async function downloadWithToken(event, link) {
  if (!access.token) return;
  event.preventDefault();
  const response = await fetch(link.href, { headers: { Authorization: `Bearer ${access.token}` } });
  if (!response.ok) throw new ApiError(response.status, { message: `Export impossible : HTTP ${response.status}` });
  const saver = document.createElement('a');
  saver.href = URL.createObjectURL(await response.blob());
  saver.download = link.getAttribute('download');
  saver.click();
}

/** Where a territory's attendance records are exported as CSV (the import's own format). */
export function attendanceCsvUrl(territory) {
  return `/v1/attendance?territory=${encodeURIComponent(territory)}&format=csv`;
}

/**
 * Where each export of a finished plan is served, and the French file name it is saved under
 * (`tournee-semaine-2026-12-07-triporteur.ics`).
 */
export function exportUrls(jobId, problem, plan) {
  const base = `/v1/plans/${encodeURIComponent(jobId)}`;
  const week = `tournee-semaine-${plan?.start || problem.horizon?.start || ''}`.replace(/-$/, '');
  return [
    ...problem.units.map((unit) => ({
      label: `Agenda ${unit.name || unit.id} (.ics)`,
      href: `${base}/calendar/${encodeURIComponent(unit.id)}.ics`,
      file: `${week}-${slug(unit.id) || 'unite'}.ics`,
    })),
    { label: 'Agenda public (.ics)', href: `${base}/public.ics`, file: `${week}-public.ics` },
    { label: 'Carte (GeoJSON)', href: `${base}/plan.geojson`, file: `${week}-carte.geojson` },
    { label: 'Horaires (CSV)', href: `${base}/timetable.csv?separator=semicolon&bom=true`, file: `${week}-horaires.csv` },
  ];
}

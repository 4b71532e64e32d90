// The desk's "published" view: publish the plan on screen for the inhabitants (a public
// address /p/… with a validity and a description), see what is published and since when, and
// revoke an address.

import { escapeHtml, dayLabel } from './format.js';

const $ = (id) => document.getElementById(id);

/** A date as the desk writes it: `lundi 7 déc.` with its year. */
function day(iso) {
  return `${dayLabel(iso.slice(0, 10))} ${iso.slice(0, 4)}`;
}

/** The list of public addresses, each with its revoke button. */
export function renderPublications(list) {
  if (!list.length) return '<li>Aucun planning publié.</li>';
  return list.map((p) => `<li><a href="${escapeHtml(p.url)}" target="_blank" rel="noopener">Page publique${p.territory ? ` — ${escapeHtml(p.territory)}` : ''}</a>
    en ligne depuis le ${escapeHtml(day(p.published_at))}${p.updated_at !== p.published_at ? `, planning remplacé le ${escapeHtml(day(p.updated_at))}` : ''} ;
    valable du ${escapeHtml(day(p.valid_from))} au ${escapeHtml(day(p.valid_until))}
    <button type="button" data-revoke="${escapeHtml(p.plan_id)}">Retirer la publication</button></li>`).join('');
}

/**
 * Wires the publication form and list. `request(method, url, body)` is the page's API call;
 * `currentPlan()` the id of the finished plan on screen (or null); `say(text, error)` reports.
 */
export function setUpPublishing({ request, currentPlan, say }) {
  const today = new Date();
  const inDays = (n) => new Date(today.getTime() + n * 86400_000).toISOString().slice(0, 10);
  $('publish-from').value = inDays(0);
  $('publish-until').value = inDays(182);
  const refresh = async () => {
    const answer = await request('GET', '/v1/publications');
    $('publications').innerHTML = renderPublications(answer.publications);
  };
  $('publish-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const plan = currentPlan();
    if (!plan) return say('Planifiez d’abord : seul un planning calculé peut être publié.', true);
    try {
      const published = await request('POST', `/v1/plans/${encodeURIComponent(plan)}/publish`, {
        valid_from: $('publish-from').value,
        valid_until: $('publish-until').value,
        description: $('publish-description').value,
        replace: $('publish-replace').checked,
      });
      say(`Publié : ${new URL(published.url, window.location.href).href}`);
      await refresh();
    } catch (error) {
      say(`Publication impossible : ${error.message}`, true);
    }
  });
  $('publications').addEventListener('click', async (event) => {
    const plan = event.target.closest('[data-revoke]')?.dataset.revoke;
    if (!plan) return;
    try {
      await request('DELETE', `/v1/plans/${encodeURIComponent(plan)}/publish`);
      say('La publication est retirée : son adresse ne répond plus.');
      await refresh();
    } catch (error) {
      say(`Retrait impossible : ${error.message}`, true);
    }
  });
  return refresh().catch(() => {});
}

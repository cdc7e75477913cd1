// The list of a grade's requirements, met or not, with the reason of each failure.
import { escapeHtml, inlineHtml } from '../../labs/drills/render';
import type { RequirementOutcome } from '../../labs/drills/records';

export function renderRequirements(list: HTMLElement, reqs: RequirementOutcome[]): void {
  list.innerHTML = reqs
    .map((r) => `<li data-pass="${r.pass}" data-req="${escapeHtml(r.id)}"><span class="what">${inlineHtml(r.text)}</span>${r.pass ? '' : `<span class="why">${escapeHtml(r.message ?? 'not met')}</span>`}<span class="sr-only">${r.pass ? ' (met)' : ' (not met)'}</span></li>`)
    .join('');
}

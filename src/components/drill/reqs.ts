// The list of a grade's requirements, met or not, with the reason of each failure.
import { escapeHtml, inlineHtml } from '../../labs/drills/render';
import type { RequirementOutcome } from '../../labs/drills/records';

/**
 * `reasons: false` lists only which requirements are met, in the task's
 * terms, without the checker's reasons (on a troubleshooting drill a reason
 * can name the fault the learner is asked to find).
 */
export function renderRequirements(list: HTMLElement, reqs: RequirementOutcome[], reasons = true): void {
  list.innerHTML = reqs
    .map((r) => `<li data-pass="${r.pass}" data-req="${escapeHtml(r.id)}"><span class="what">${inlineHtml(r.text)}</span>${r.pass ? '' : `<span class="why">${reasons ? escapeHtml(r.message ?? 'not met') : 'not met yet'}</span>`}<span class="sr-only">${r.pass ? ' (met)' : ' (not met)'}</span></li>`)
    .join('');
}

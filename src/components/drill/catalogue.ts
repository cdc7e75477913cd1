// The catalogue page: fill each drill's "Your best" cell from the progress store.
import { browserStorage, loadProgress } from '../../labs/progress';
import { drillRecord } from '../../labs/drills/records';
import { clock } from '../../labs/drills/render';

export function bestText(rec: ReturnType<typeof drillRecord>): string {
  if (!rec || rec.attempts === 0) return 'Not tried';
  if (rec.best) return `Passed in ${clock(rec.best.timeUsedMs)}${rec.best.hintsUsed ? `, ${rec.best.hintsUsed} hint${rec.best.hintsUsed === 1 ? '' : 's'}` : ''} (${rec.passes} of ${rec.attempts} passed)`;
  if (rec.passes > 0) return `Passed with the solution shown (${rec.attempts} attempt${rec.attempts === 1 ? '' : 's'})`;
  return `Not passed yet (${rec.attempts} attempt${rec.attempts === 1 ? '' : 's'})`;
}

const { progress } = loadProgress(browserStorage());
for (const row of document.querySelectorAll<HTMLElement>('[data-drill-row]')) {
  const cell = row.querySelector('[data-best]');
  if (cell) cell.textContent = bestText(drillRecord(progress, row.dataset.drillRow!));
}

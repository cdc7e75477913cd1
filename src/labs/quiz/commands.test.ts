// Every command question of every bank, run in the simulated shell: each of
// its correct command sequences passes, and the empty answer and each of its
// wrong sequences fail. A failure here means either a bank mistake or a
// command/scenario that does not behave like the real one yet.
import { describe, expect, it } from 'vitest';
import { banks } from './banks';
import { runCommandCheck } from './command';
import type { CommandQuestion } from './types';

const TIMEOUT = 60_000;

for (const bank of banks) {
  const questions = bank.questions.filter((q): q is CommandQuestion => q.kind === 'command');
  if (questions.length === 0) continue;
  describe(`command questions of "${bank.chapter}"`, () => {
    for (const q of questions) {
      q.solutions.forEach((lines, i) => {
        it(`${q.id}: solution ${i + 1} passes (${lines.join(' ; ')})`, async () => {
          const g = await runCommandCheck(q, lines);
          const transcript = g.runs.map((r) => `$ ${r.line}\n${r.output}[exit ${r.exitCode}]`).join('\n');
          expect(g.correct, `${g.feedback}\n${transcript}`).toBe(true);
        }, TIMEOUT);
      });

      it(`${q.id}: the empty answer fails`, async () => {
        const g = await runCommandCheck(q, '  \n# nothing\n');
        expect(g.correct).toBe(false);
        expect(g.feedback).toBe('Type at least one command.');
      }, TIMEOUT);

      q.wrong.forEach((lines, i) => {
        it(`${q.id}: wrong answer ${i + 1} fails with a hint (${lines.join(' ; ')})`, async () => {
          const g = await runCommandCheck(q, lines);
          expect(g.correct).toBe(false);
          expect(g.feedback ?? '').not.toBe('');
          expect(g.feedback).not.toMatch(/grader (could not|found no)/);
        }, TIMEOUT);
      });
    }
  });
}

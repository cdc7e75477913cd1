import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { historyEntry, isComplete, pending } from './continuation';

// Recorded from real bash 5.2 in a pty by fixtures/editor/capture-continuation.mjs
interface Form {
  lines: string[];
  states: ('complete' | 'incomplete')[];
  history: string[];
}
const forms = JSON.parse(readFileSync(new URL('../../fixtures/editor/continuation.json', import.meta.url), 'utf8')) as Form[];

/** Feed the lines as bash reads them: a command ends when it is complete; returns the states and history entries. */
function replay(lines: string[]): { states: string[]; history: string[] } {
  const states: string[] = [];
  const history: string[] = [];
  let group: string[] = [];
  for (const line of lines) {
    group.push(line);
    const text = group.join('\n');
    if (isComplete(text)) {
      states.push('complete');
      if (text.trim() !== '') history.push(historyEntry(group));
      group = [];
    } else states.push('incomplete');
  }
  if (group.length) history.push(historyEntry(group));
  return { states, history };
}

describe('continuation lines agree with bash', () => {
  it('has at least 40 recorded forms', () => {
    expect(forms.length).toBeGreaterThanOrEqual(40);
  });
  for (const f of forms) {
    it(JSON.stringify(f.lines), () => {
      const r = replay(f.lines);
      expect(r.states).toEqual(f.states);
      // an abandoned (Ctrl-C) command is still in bash's history: only whole commands are compared
      if (f.states[f.states.length - 1] === 'complete') expect(r.history).toEqual(f.history);
    });
  }
});

describe('pending', () => {
  it('says why the shell waits', () => {
    expect(pending('cat <<EOF')).toBe('heredoc');
    expect(pending("echo 'a")).toBe('quote');
    expect(pending('echo a \\')).toBe('backslash');
    expect(pending('for i in 1; do')).toBe('command');
    expect(pending('echo a |')).toBe('command');
    expect(pending('echo a')).toBeNull();
    expect(pending('fi')).toBeNull();
  });
});

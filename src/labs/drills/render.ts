// Task text to HTML. Drill texts use a small, safe subset: paragraphs (one
// per line), `code` spans, and list items starting with "- ". Everything
// else is escaped.

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One line: escaped text with `code` spans. */
export function inlineHtml(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join('');
}

export function taskHtml(text: string): string {
  const out: string[] = [];
  let list: string[] | null = null;
  const flush = () => {
    if (list) out.push(`<ul>${list.map((li) => `<li>${li}</li>`).join('')}</ul>`);
    list = null;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      flush();
      continue;
    }
    if (line.startsWith('- ')) {
      (list ??= []).push(inlineHtml(line.slice(2)));
      continue;
    }
    flush();
    out.push(`<p>${inlineHtml(line)}</p>`);
  }
  flush();
  return out.join('');
}

/** Plain text of a task (code spans unquoted), for titles and screen readers. */
export function taskPlain(text: string): string {
  return text.replace(/`/g, '');
}

/** "3:07" / "1:02:03" */
export function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

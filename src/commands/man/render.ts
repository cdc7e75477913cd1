// man's layout for the course's pages: the header line (NAME(SECTION) at both
// ends, the manual's title in the middle), sections in bold capitals at the
// margin, text indented by 7 and wrapped to the terminal, option and example
// bodies indented by 7 more, the footer line. As `man` prints when its
// output is not a pager (what a page's terminal shows).

export interface ManPage {
  name: string;
  section: number;
  /** the one-line description after "NAME - " */
  summary: string;
  synopsis: string[];
  description: string[];
  /** [option(s), what it does] */
  options?: [string, string][];
  /** [command, what it shows] */
  examples?: [string, string][];
  seeAlso?: string[];
}

const MANUALS: Record<number, string> = { 1: 'General Commands Manual', 8: "System Manager's Manual" };

/** words of `text` in lines of at most `width` characters (a longer word stands alone) */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

/** left, centre and right texts on one line of `width` columns */
function spread(left: string, centre: string, right: string, width: number): string {
  const room = width - left.length - right.length;
  if (room < centre.length + 2) return `${left}  ${centre}  ${right}`;
  const before = Math.floor((width - centre.length) / 2) - left.length;
  const pad1 = Math.max(1, before);
  const pad2 = Math.max(1, room - centre.length - pad1);
  return left + ' '.repeat(pad1) + centre + ' '.repeat(pad2) + right;
}

export function renderMan(p: ManPage, columns: number, bold: boolean): string {
  const width = Math.max(40, Math.min(columns, 200) - 1);
  const id = `${p.name.toUpperCase()}(${p.section})`;
  const heading = (h: string) => (bold ? `\x1b[1m${h}\x1b[0m` : h);
  const para = (text: string, indent: number) => wrap(text, width - indent).map((l) => ' '.repeat(indent) + l);
  const out: string[] = [spread(id, MANUALS[p.section] ?? 'Manual', id, width), ''];
  const section = (title: string, body: string[]) => {
    out.push(heading(title), ...body, '');
  };
  section('NAME', para(`${p.name} - ${p.summary}`, 7));
  section('SYNOPSIS', p.synopsis.flatMap((s) => para(s, 7)));
  section('DESCRIPTION', p.description.flatMap((d, i) => [...(i ? [''] : []), ...para(d, 7)]));
  if (p.options?.length) section('OPTIONS', p.options.flatMap(([o, d], i) => [...(i ? [''] : []), ...para(o, 7), ...para(d, 14)]));
  if (p.examples?.length) section('EXAMPLES', p.examples.flatMap(([c, d], i) => [...(i ? [''] : []), ' '.repeat(7) + c, ...para(d, 14)]));
  if (p.seeAlso?.length) section('SEE ALSO', para(p.seeAlso.join(', '), 7));
  section('NOTES', para(`This is the netlab course's own page for ${p.name}: a short summary of what the course uses, not the upstream manual. The simulated ${p.name} prints what the real one prints.`, 7));
  out.push(spread('netlab', 'course page', id, width));
  return out.join('\n') + '\n';
}

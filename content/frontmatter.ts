// The course's own frontmatter field, shared by the content collection's
// schema (src/content.config.ts, checked by `astro build`) and the tests
// (content/curriculum.test.ts reads the same field from the MDX files).
//
//   cka:
//     - competency: services            # an id of src/labs/curriculum.ts
//       section: Following a ClusterIP  # a "## " heading of this chapter
//       lab: true                       # the section has a lab step (optional)
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { COMPETENCY_IDS } from '../src/labs/curriculum';

export const ckaEntry = z.strictObject({
  competency: z.enum(COMPETENCY_IDS),
  section: z.string().min(1),
  lab: z.boolean().optional(),
});

export const ckaFrontmatter = z.array(ckaEntry).min(1);
export type CkaEntry = z.infer<typeof ckaEntry>;

/** The frontmatter of an MDX source, parsed (YAML), or {} without one. */
export function frontmatterOf(source: string): Record<string, unknown> {
  const fm = /^---\n([\s\S]*?)\n---/.exec(source)?.[1];
  if (!fm) return {};
  const data: unknown = parseYaml(fm);
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
}

/** The `cka` entries of an MDX source, validated (throws with zod's message on a bad entry); [] without the field. */
export function ckaOf(source: string): CkaEntry[] {
  const fm = frontmatterOf(source);
  return fm.cka === undefined ? [] : ckaFrontmatter.parse(fm.cka);
}

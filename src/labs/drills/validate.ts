// Build-time validation of the drill catalogue (zod). The drill pages run
// `validateCatalogue(drills)` in their frontmatter, so `astro build` fails on
// a malformed drill; the unit tests run it too.
import { z } from '../../sim/zod';
import { COMPETENCY_IDS, DIFFICULTIES, DOMAIN_IDS, type CompetencyId, instantiate, type DomainId, type DrillDef } from './schema';

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const drillMetaSchema = z.object({
  id: z.string().regex(ID, 'drill ids are lower-case words joined by hyphens'),
  title: z.string().min(3).max(80),
  domain: z.enum(DOMAIN_IDS as [DomainId, ...DomainId[]]),
  difficulty: z.enum(DIFFICULTIES),
  minutes: z.number().int().min(1).max(60),
  weight: z.number().int().min(1).max(20),
  summary: z.string().min(10).max(200),
  scenario: z.string().regex(ID),
  competencies: z.array(z.enum(COMPETENCY_IDS as [CompetencyId, ...CompetencyId[]])).min(1).optional(),
  host: z.string().min(1).optional(),
  params: z.function(),
  setup: z.function().optional(),
  prepare: z.function().optional(),
  task: z.function(),
  requirements: z.function(),
  hints: z.function(),
  solution: z.function(),
  wrong: z.function(),
  alternatives: z.function(),
});

const line = z.string().min(1).refine((s) => !s.includes('\n'), 'a shell line has no newline');

export const drillInstanceSchema = z
  .object({
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
    task: z.string().min(20),
    setup: z.array(z.union([line, z.object({ host: z.string().min(1), line })])),
    requirements: z
      .array(z.object({ id: z.string().regex(ID), text: z.string().min(5), check: z.function() }))
      .min(1),
    hints: z.array(z.string().min(5)).min(1),
    solution: z.array(line).min(1),
    wrong: z
      .array(z.object({ name: z.string().min(3), lines: z.array(line), fails: z.string(), mentions: z.string().optional() }))
      .min(2, 'at least two near misses (wrong attempts)'),
    // issue 21's corpus: other correct solutions of different styles, each verified to pass
    alternatives: z
      .array(z.object({ name: z.string().min(3), lines: z.array(line).min(1), host: z.string().optional() }))
      .min(3, 'at least three alternative solutions'),
  })
  .superRefine((d, ctx) => {
    const ids = d.requirements.map((r) => r.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) ctx.addIssue({ code: 'custom', message: `duplicate requirement id ${dup}` });
    for (const w of d.wrong) {
      if (!ids.includes(w.fails)) ctx.addIssue({ code: 'custom', message: `wrong attempt "${w.name}" names unknown requirement ${w.fails}` });
    }
    const unfilled = /\$\{|undefined|NaN|\[object /;
    for (const text of [d.task, ...d.hints, ...d.solution, ...d.requirements.map((r) => r.text)]) {
      if (unfilled.test(text)) ctx.addIssue({ code: 'custom', message: `unfilled parameter in: ${text.slice(0, 80)}` });
    }
  });

export class DrillValidationError extends Error {}

/** Check a drill's metadata and, for a few seeds, its instantiated parts. Throws a DrillValidationError naming the drill. */
export function validateDrill(def: DrillDef, seeds: number[] = [1, 2, 3]): void {
  const meta = drillMetaSchema.safeParse(def);
  if (!meta.success) throw new DrillValidationError(`drill ${def.id ?? '?'}: ${z.prettifyError(meta.error)}`);
  for (const seed of seeds) {
    const inst = drillInstanceSchema.safeParse(instantiate(def, seed));
    if (!inst.success) throw new DrillValidationError(`drill ${def.id} (seed ${seed}): ${z.prettifyError(inst.error)}`);
  }
}

/** Check a whole catalogue: each drill valid, ids unique, and (when given) each scenario known. */
export function validateCatalogue(defs: DrillDef[], knownScenarios?: string[]): void {
  const seen = new Set<string>();
  for (const d of defs) {
    validateDrill(d);
    if (knownScenarios && !knownScenarios.includes(d.scenario)) throw new DrillValidationError(`drill ${d.id}: unknown scenario ${d.scenario}`);
    if (seen.has(d.id)) throw new DrillValidationError(`duplicate drill id ${d.id}`);
    seen.add(d.id);
  }
}


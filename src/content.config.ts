// Starlight's docs collection, read from content/ at the top of the repo
// (Starlight's own docsLoader only reads src/content/docs). Files whose name
// starts with `_` are partials, not pages.
//
// The frontmatter is validated by Starlight's schema extended with the
// course's own field: `cka`, the CKA competencies a chapter's sections cover
// (src/labs/curriculum.ts), from which the curriculum map is computed.
// Order, quiz and "beyond the book" are the course manifest's
// (content/chapters.ts), not the frontmatter's.
import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { ckaFrontmatter } from '../content/frontmatter';

export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema({ extend: z.object({ cka: ckaFrontmatter.optional() }) }),
  }),
};

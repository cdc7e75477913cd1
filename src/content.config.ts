// Starlight's docs collection, read from content/ at the top of the repo
// (Starlight's own docsLoader only reads src/content/docs). Files whose name
// starts with `_` are partials, not pages.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema(),
  }),
};

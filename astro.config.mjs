// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { fileURLToPath } from 'node:url';

// just-bash's browser bundle imports node:zlib (gzip, gunzip, zcat, tar -z).
// The browser has no zlib: these commands print a clear "not available" error.
const zlibStub = fileURLToPath(new URL('./src/shell/browser-stubs/zlib.ts', import.meta.url));

export default defineConfig({
  site: 'http://127.0.0.1:4321',
  server: { host: '127.0.0.1', port: 4321 },
  integrations: [
    starlight({
      title: 'netlab',
      description: 'An interactive course on Linux and Kubernetes networking, with a simulated Linux host in the page.',
      // Chapters are MDX files under content/ (see src/content.config.ts), in the book's order.
      sidebar: [
        {
          label: 'The course',
          items: ['about', 'map', 'switching', 'routing', 'dns', 'namespaces', 'cni', 'pod-networking', 'service-networking', 'proxies', 'resources'],
        },
        { label: 'Your progress', link: '/progress/' },
      ],
      pagefind: false,
      lastUpdated: false,
      // the drills and exam mode (src/pages/drills) join the sidebar after the chapters
      routeMiddleware: './src/components/drill/sidebar.ts',
    }),
    mdx(),
  ],
  vite: {
    resolve: {
      alias: [{ find: /^(node:)?zlib$/, replacement: zlibStub }],
    },
    worker: { format: 'es' },
    build: {
      chunkSizeWarningLimit: 4096,
      rolldownOptions: {
        // MDX pages carry Astro's "use astro:head-inject" directive, which the
        // bundler reports (harmlessly) once per page: keep the build log readable
        onLog(level, log, handler) {
          if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
          handler(level, log);
        },
      },
    },
  },
});

// Starlight route middleware (astro.config.mjs `routeMiddleware`): adds the
// drills and exam mode to the sidebar of every page, after the chapters.
// The cached sidebar is not mutated: each page gets a new list.
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';

type Entry = ReturnType<typeof link>;
function link(label: string, href: string, current: boolean) {
  return { type: 'link' as const, label, href, isCurrent: current, badge: undefined, attrs: {} };
}

export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  const path = context.url.pathname.replace(/\/?$/, '/');
  const drills = `${base}drills/`;
  const exam = `${base}drills/exam/`;
  const entries: Entry[] = [link('Drills', drills, path.startsWith(drills) && path !== exam), link('Exam mode', exam, path === exam)];
  route.sidebar = [...route.sidebar, { type: 'group', label: 'CKA practice', entries, collapsed: false, badge: undefined }];
});

// axe as every e2e spec runs it: `axeOf(page)` is an AxeBuilder for the page (chain .include(), .options()
// as usual, then .analyze()).
//
// It runs axe.run in the page itself (AxeBuilder's "legacy mode"), not the default runPartial in each frame
// followed by finishRun in a second, blank page. For the same page both give the same violations, byte for
// byte (compared on a chapter with six kinds of violation put into it, in both themes), but the default path
// serialises every node axe looked at, passes included, with a selector each (about 5 MB on the namespaces
// chapter) and opens a page to merge them: 2-3 times slower, most of the chapter walk's time. What legacy
// mode does not do is scan cross-origin frames; the site has none, and `analyze()` here fails if a page ever
// gets one, so that nothing goes unscanned.
//
// Only violations are asked for (resultTypes): the specs read nothing else, and axe then skips the details
// of the passing nodes. Violations are reported whole either way.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export function axeOf(page: Page): AxeBuilder {
  const builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] });
  const analyze = builder.analyze.bind(builder);
  builder.analyze = async () => {
    const origin = new URL(page.url()).origin;
    const foreign = page
      .frames()
      .map((f) => f.url())
      .filter((u) => !/^(about:|data:)/.test(u) && new URL(u).origin !== origin);
    expect(foreign, 'cross-origin frames (axe in legacy mode would not scan them: see e2e/axe.ts)').toEqual([]);
    return analyze();
  };
  return builder;
}

// zod, as every module of the project uses it: without its compiled (new Function) parsers, which the pages'
// Content Security Policy forbids (no 'unsafe-eval'); zod's probe for them would be reported as a violation.
import { z } from 'zod';

z.config({ jitless: true });

export { z };

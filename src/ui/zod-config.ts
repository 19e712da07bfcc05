/**
 * The desktop's `zod`: the library itself, told first not to compile parsers with
 * `new Function`. The page's Content-Security-Policy forbids that (no 'unsafe-eval'),
 * and even zod's probe for it is reported as a policy violation. Zod decides when a
 * schema is created, so this must run before any module defines one: the UI build
 * resolves `zod` to this module (vite.config.ts), and ES modules run what they import
 * first.
 */
import { z } from "zod/v4";

z.config({ jitless: true });

export * from "zod/v4";
export { z };
export default z;

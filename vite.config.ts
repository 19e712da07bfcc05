import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

/**
 * Builds the agent desktop SPA into dist/ui, which the Worker serves as static assets
 * with a single-page-application fallback. The API is same-origin, so no proxy config
 * is needed in production; `npm run dev` runs the Worker in front of it.
 *
 * `zod` resolves to src/ui/zod-config.ts, which configures zod before any schema is
 * made, so the app runs under a Content-Security-Policy without 'unsafe-eval'.
 */
export default defineConfig({
  root: "src/ui",
  plugins: [preact()],
  resolve: {
    alias: [
      {
        find: /^zod$/,
        replacement: fileURLToPath(new URL("src/ui/zod-config.ts", import.meta.url)),
      },
    ],
  },
  build: {
    outDir: "../../dist/ui",
    emptyOutDir: true,
  },
});

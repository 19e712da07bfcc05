import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

/**
 * Builds the agent desktop SPA into dist/ui, which the Worker serves as static assets
 * with a single-page-application fallback. The API is same-origin, so no proxy config
 * is needed in production; `npm run dev` runs the Worker in front of it.
 */
export default defineConfig({
  root: "src/ui",
  plugins: [preact()],
  build: {
    outDir: "../../dist/ui",
    emptyOutDir: true,
  },
});

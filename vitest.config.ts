import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Tests that run inside workerd: the real Worker, its Durable Objects and D1.
 * The Meta simulator runs as a real HTTP server on loopback (test/global-setup.ts)
 * and the Worker's Graph API base URL points at it; a real SMTP server on
 * loopback receives the Worker's mail.
 */
export default defineConfig({
  plugins: [
    cloudflareTest(async ({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ENVIRONMENT: "test",
          META_APP_SECRET: "dev-app-secret",
          META_VERIFY_TOKEN: "dev-verify-token",
          GRAPH_API_BASE: `${inject<string>("simUrl")}/v23.0`,
          SIM_URL: inject<string>("simUrl"),
          OFFER_TIMEOUT_SECONDS: "30",
          OUTBOUND_RETRY_BASE_MS: "20",
          // Long enough for a loaded machine's slowest answer; the simulator holds longer.
          GRAPH_TIMEOUT_MS: "4000",
          // The simulator serves media from loopback (test/messages-media.test.ts).
          MEDIA_HOSTS: "127.0.0.1",
          MEDIA_TIMEOUT_MS: "3000",
          SMTP_HOST: "127.0.0.1",
          SMTP_PORT: String(inject<number>("smtpPort")),
          SMTP_SECURE: "none",
          MAIL_FROM: "no-reply@parley.test",
          PUBLIC_URL: "https://parley.test",
          MAIL_SINK_URL: inject<string>("mailSinkUrl"),
          OPERATOR_EMAIL: "operator@parley.test",
          OPERATOR_PASSWORD: "operator-test-password",
          // The drill hooks' own tests call them (test/drill-hooks.test.ts).
          DRILL_HOOKS: "on",
          TEST_MIGRATIONS: await readD1Migrations("./drizzle"),
        },
      },
    })),
  ],
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    globalSetup: ["./test/global-setup.ts"],
    setupFiles: ["./test/apply-migrations.ts"],
    testTimeout: 20_000,
    // The security log's JSON lines (one per admin change, refusal, …) would bury the
    // test output; tests that check them spy on the console instead.
    onConsoleLog: (log) => !log.startsWith('{"kind":"security"'),
  },
});

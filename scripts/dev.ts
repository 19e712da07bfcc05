/** `npm run dev`: the whole product on http://127.0.0.1:8787 with demo data and the Meta simulator. */
import { DEMO } from "./demo-data.ts";
import { startStack } from "./stack.ts";

const stack = await startStack({
  port: 8787,
  simPort: 8788,
  smtpPort: 2525,
  mailPort: 8789,
  persistTo: ".wrangler/state",
});
const users = [...DEMO.users, { role: "operator", ...DEMO.operator }]
  .map((u) => `    ${u.role.padEnd(8)} ${u.email.padEnd(26)} ${u.password}`)
  .join("\n");
console.log(`
  Parley is running.
    Agent desktop   ${stack.url}
    Customer phone  ${stack.simUrl}/phone   (writes to ${DEMO.number.displayPhone})
    API document    ${stack.url}/api/openapi.json
    Received mail   ${stack.mailUrl}/messages   (links are also printed here)
  Demo accounts:
${users}
  Ctrl-C stops everything.
`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void stack.stop().then(() => process.exit(0));
  });
}

/** `npm run dev`: the whole product on http://127.0.0.1:8787 with demo data and the Meta simulator. */
import { DEMO } from "./demo-data.ts";
import { startStack } from "./stack.ts";

const stack = await startStack({ port: 8787, simPort: 8788, persistTo: ".wrangler/state" });
const users = DEMO.users
  .map((u) => `    ${u.role.padEnd(6)} ${u.email.padEnd(26)} ${u.password}`)
  .join("\n");
console.log(`
  Parley is running.
    Agent desktop   ${stack.url}
    Customer phone  ${stack.simUrl}/phone   (writes to ${DEMO.number.displayPhone})
    API document    ${stack.url}/api/openapi.json
  Demo accounts:
${users}
  Ctrl-C stops everything.
`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void stack.stop().then(() => process.exit(0));
  });
}

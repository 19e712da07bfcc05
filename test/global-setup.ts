import type { TestProject } from "vitest/node";
import { startSimulator } from "../src/sim/server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    simUrl: string;
  }
}

/**
 * Starts the real Meta simulator on loopback for the workerd tests. It has no
 * webhook URL: the Worker under test has no port, so signed webhooks the
 * simulator would send are queued in its outbox and tests relay them.
 */
export default async function setup(project: TestProject) {
  const sim = await startSimulator({ port: 0, appSecret: "dev-app-secret" });
  project.provide("simUrl", sim.url);
  return async () => {
    await sim.close();
  };
}

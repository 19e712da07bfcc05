import type { TestProject } from "vitest/node";
import { startSimulator } from "../src/sim/server.ts";
import { startOfficeConverter } from "./kit/office-convert";
import { startSmtpSink } from "./kit/smtp-sink";

declare module "vitest" {
  export interface ProvidedContext {
    simUrl: string;
    smtpPort: number;
    mailSinkUrl: string;
    /** LibreOffice conversions over HTTP (test/kit/office-convert.ts). */
    officeUrl: string;
  }
}

/**
 * Starts the real Meta simulator on loopback for the workerd tests. It has no
 * webhook URL: the Worker under test has no port, so signed webhooks the
 * simulator would send are queued in its outbox and tests relay them.
 * A real SMTP server on loopback receives the Worker's mail; tests read it
 * over its HTTP API (test/kit/smtp-sink.ts).
 */
export default async function setup(project: TestProject) {
  const sim = await startSimulator({ port: 0, appSecret: "dev-app-secret" });
  project.provide("simUrl", sim.url);
  const sink = await startSmtpSink();
  project.provide("smtpPort", sink.smtpPort);
  project.provide("mailSinkUrl", sink.url);
  // Runs LibreOffice only when a test asks for a conversion.
  const office = await startOfficeConverter();
  project.provide("officeUrl", office.url);
  return async () => {
    await sim.close();
    await sink.close();
    await office.close();
  };
}

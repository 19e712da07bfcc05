/**
 * The API description is a contract: every operation of /api/openapi.json, its
 * parameters, bodies, responses and security, as one line each in a fixture.
 * A route added, removed or changed shows here as a changed line of the
 * fixture (update it with `vitest run test/openapi.test.ts -u`, and review it).
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

type Document = { paths: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** The document as text: its head, then one sorted line per operation (`METHOD /path {…}`). */
function operationLines(doc: Document): string {
  const { paths, ...head } = doc;
  const operations = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(
      ([method, op]) => `${method.toUpperCase()} ${path} ${JSON.stringify(op)}`,
    ),
  );
  return `${[JSON.stringify(head), ...operations.sort()].join("\n")}\n`;
}

describe("the OpenAPI document", () => {
  it("describes every operation exactly as the fixture does", async () => {
    const res = await exports.default.fetch("https://parley.test/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Document;
    await expect(operationLines(doc)).toMatchFileSnapshot("./fixtures/openapi-operations.txt");
  });
});

/**
 * The OpenAPI 3.1 document (GET /api/openapi.json), built from the same zod
 * schemas that validate each route: `Routes.endpoint` (routes.ts) registers
 * every operation here as it declares it.
 */
import { type ZodType, z } from "zod";
import { ApiError } from "../../shared/protocol";

export type Method = "get" | "post" | "put" | "patch" | "delete";

/** One documented operation. */
export interface Operation {
  method: Method;
  /** The full path, with `:name` parameters. */
  path: string;
  summary: string;
  tag: string;
  body?: ZodType;
  query?: ZodType;
  response?: ZodType;
  status?: number;
  /** Needs no session (`security: []`). */
  public: boolean;
}

const operations: Operation[] = [];

/** Adds an operation to the document (the first declaration of a method and path wins). */
export function documentOperation(op: Operation): void {
  if (!operations.some((o) => o.method === op.method && o.path === op.path)) operations.push(op);
}

function schemaOf(s: ZodType): unknown {
  return z.toJSONSchema(s, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
}

/** The OpenAPI 3.1 document of every declared operation. */
export function openApiDocument(): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = op.path.replace(/:(\w+)/g, "{$1}");
    const parameters = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    if (op.query) {
      const js = schemaOf(op.query) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(js.properties ?? {})) {
        parameters.push({
          name,
          in: "query",
          required: js.required?.includes(name) ?? false,
          schema: schema as { type: string },
        });
      }
    }
    paths[path] ??= {};
    paths[path][op.method] = {
      summary: op.summary,
      tags: [op.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: schemaOf(op.body) } },
            },
          }
        : {}),
      ...(op.public ? { security: [] } : {}),
      responses: {
        [String(op.status ?? 200)]: {
          description: "Success",
          ...(op.response
            ? { content: { "application/json": { schema: schemaOf(op.response) } } }
            : {}),
        },
        default: {
          description: "Error",
          content: { "application/json": { schema: { $ref: "#/components/schemas/ApiError" } } },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Parley API", version: "0.1.0" },
    components: {
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: "parley_session",
          description: "Set by POST /auth/login; named __Host-parley_session in production",
        },
      },
      // The one error body (src/shared/protocol.ts), as the Worker answers it and the UI reads it.
      schemas: { ApiError: schemaOf(ApiError) },
    },
    security: [{ session: [] }],
    paths,
  };
}

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { validationErrorMap } from "./validation-messages";

const Form = z.object({
  name: z.string().min(1).max(5),
  email: z.email(),
  count: z.number().int().min(1),
  kind: z.enum(["a", "b"]),
  tags: z.array(z.string()).min(1),
  own: z.string().min(3, "at least 3 characters, as we say it"),
});

function messages(value: unknown, language: "en" | "it"): Record<string, string> {
  const parsed = Form.safeParse(value, { error: validationErrorMap(language) });
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("validation messages", () => {
  const bad = { name: "", email: "nope", count: 1.5, kind: "c", tags: [], own: "x" };

  it("are written for people, in English", () => {
    expect(messages(bad, "en")).toEqual({
      name: "Fill this in.",
      email: "Not a valid e-mail address.",
      count: "A whole number.",
      kind: "Choose one of: a, b.",
      tags: "Choose at least one.",
      own: "at least 3 characters, as we say it",
    });
    expect(messages({ ...bad, name: "abcdefg" }, "en").name).toBe("At most 5 characters.");
    expect(messages({}, "en").name).toBe("Fill this in.");
  });

  it("and in Italian, a schema's own message kept", () => {
    expect(messages(bad, "it")).toEqual({
      name: "Compila questo campo.",
      email: "Indirizzo e-mail non valido.",
      count: "Un numero intero.",
      kind: "Scegli tra: a, b.",
      tags: "Scegline almeno uno.",
      own: "at least 3 characters, as we say it",
    });
  });
});

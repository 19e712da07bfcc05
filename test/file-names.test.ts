/**
 * File names from outside keep no bidirectional or other control characters,
 * through the real Worker, actors, D1, R2 and the Meta simulator: a
 * customer's document from Meta, an agent's upload and an imported file's
 * name are stored and served cleaned ("invoice\u202Efdp.exe" would read as
 * "invoiceexe.pdf").
 */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { UploadView } from "../src/shared/protocol";
import { deskAgent, messagesOf, takeConversation, uploadRequest } from "./kit/conversation";
import { uploadOk } from "./kit/customers";
import { csv } from "./kit/files";
import { phone } from "./kit/ids";
import { customerSends } from "./kit/meta";
import { BASE, signIn } from "./kit/session";
import { simMedia } from "./kit/simulator";
import { historyTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

const RLO = "\u202E";

describe("file names", () => {
  it("of a customer's document are stored, shown and served without bidi controls", async () => {
    const t = await historyTenant();
    const agent = await deskAgent(t, "Ada", ["care"]);
    const from = phone();
    const conversationId = await takeConversation(t, agent, from, "hello");
    const metaId = await simMedia("%PDF-1.4 fattura", "application/pdf");
    await customerSends(t, from, {
      type: "document",
      document: {
        id: metaId,
        mime_type: "application/pdf",
        filename: `invoice${RLO}fdp.exe\u0007`,
      },
    });

    const doc = await eventually(async () => {
      const list = await messagesOf(agent.cookie, conversationId);
      const m = list.find((x) => x.kind === "document");
      return m?.content?.type === "media" && m.content.mediaId ? m : null;
    });
    expect(doc.text).toBe("[document] invoicefdp.exe");
    expect(doc.content).toMatchObject({ filename: "invoicefdp.exe" });
    const stored = await runInDurableObject(env.CONVERSATION.getByName(conversationId), (_i, s) =>
      s.storage.sql
        .exec<{ payload: string }>("SELECT payload FROM messages WHERE kind = 'document'")
        .toArray(),
    );
    expect(stored[0]?.payload).not.toContain(RLO);
    expect(stored[0]?.payload).toContain('"filename":"invoicefdp.exe"');

    if (doc.content?.type !== "media") throw new Error("not media");
    const res = await exports.default.fetch(`${BASE}/api/media/${doc.content.mediaId}`, {
      headers: { Cookie: agent.cookie },
    });
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="invoicefdp.exe"; filename*=UTF-8''invoicefdp.exe`,
    );
    await res.body?.cancel();
  });

  it("of an agent's upload are stored and served without bidi controls", async () => {
    const t = await historyTenant();
    const agent = await deskAgent(t, "Ada", ["care"]);
    const conversationId = await takeConversation(t, agent, phone(), "hello");
    const res = await uploadRequest(agent, conversationId, {
      data: new TextEncoder().encode("%PDF-1.4 x"),
      type: "application/pdf",
      name: `invoice${RLO}txt.pdf`,
    });
    expect(res.status).toBe(201);
    const view = (await res.json()) as UploadView;
    expect(view.filename).toBe("invoicetxt.pdf");
    const object = await env.MEDIA.head(`${t.tenantId}/${view.id}`);
    expect(object?.customMetadata?.filename).toBe("invoicetxt.pdf");
    const served = await exports.default.fetch(`${BASE}/api/media/${view.id}`, {
      headers: { Cookie: agent.cookie },
    });
    expect(served.headers.get("Content-Disposition")).toBe(
      `attachment; filename="invoicetxt.pdf"; filename*=UTF-8''invoicetxt.pdf`,
    );
    await served.body?.cancel();
  });

  it("of an imported file are stored and shown without bidi controls", async () => {
    const admin = await signIn("admin");
    const preview = await uploadOk(admin, csv([["Phone *"], ["+393331234567"]]), {
      type: "text/csv",
      fileName: `customers${RLO}vsc.exe`,
    });
    expect(preview.fileName).toBe("customersvsc.exe");
    const row = await env.DB.prepare("SELECT file_name FROM customer_imports WHERE id = ?")
      .bind(preview.id)
      .first<{ file_name: string }>();
    expect(row?.file_name).toBe("customersvsc.exe");
  });
});

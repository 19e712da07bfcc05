/**
 * Files are deleted from R2 once nothing will show them again, through the
 * real Worker, actors, D1, R2 and the Meta simulator: when a conversation's
 * contents are removed (keep-history off), when its customer is deleted (by an
 * admin, or by an import in delete mode; the scheduled sweep tells what the
 * request could not), and when an agent's upload is never sent. Files a kept
 * message names, and other customers' files, stay.
 */
import {
  createExecutionContext,
  createScheduledController,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import {
  dropContents,
  pendingPurges,
  UPLOAD_TTL_MS,
} from "../src/durable/conversation/media-cleanup";
import { ActorDb } from "../src/durable/sql";
import { advanceClock, resetClock } from "../src/platform/clock";
import { d1, rawStatement } from "../src/platform/db/d1";
import type { UploadView } from "../src/shared/protocol";
import worker from "../src/worker/index";
import { recordCustomerDeletion } from "../src/worker/jobs/customer-deletions";
import {
  closeConversation,
  deskAgent,
  messagesOf,
  send,
  takeConversation,
  uploadFile,
} from "./kit/conversation";
import { apply, uploadOk } from "./kit/customers";
import { csv } from "./kit/files";
import { archived, customerIdOf } from "./kit/history";
import { phone } from "./kit/ids";
import { customerSends } from "./kit/meta";
import { callJson, type Session } from "./kit/session";
import { simMedia } from "./kit/simulator";
import { type HistoryTenant, historyTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

afterEach(() => resetClock());

const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  ),
  (ch) => ch.charCodeAt(0),
);

/** Whether the tenant's file is in R2. */
async function inR2(tenantId: string, mediaId: string): Promise<boolean> {
  return (await env.MEDIA.head(`${tenantId}/${mediaId}`)) !== null;
}

/** Waits until the tenant's file is gone from R2. */
function goneFromR2(tenantId: string, mediaId: string): Promise<true> {
  return eventually(async () => !(await inR2(tenantId, mediaId)));
}

/** The customer sends a photo; resolves with our media id once it is in R2. */
async function customerSendsPhoto(
  t: HistoryTenant,
  agent: Session,
  from: string,
  conversationId: string,
): Promise<string> {
  const metaId = await simMedia(PNG, "image/png");
  await customerSends(t, from, { type: "image", image: { id: metaId, mime_type: "image/png" } });
  const mediaId = await eventually(async () => {
    const photo = (await messagesOf(agent, conversationId)).find((m) => m.kind === "image");
    return photo?.content?.type === "media" ? photo.content.mediaId : null;
  });
  expect(await inR2(t.tenantId, mediaId)).toBe(true);
  return mediaId;
}

/** The agent uploads a PDF to the conversation; the file is in R2. */
async function agentUploads(agent: Session, conversationId: string): Promise<UploadView> {
  const data = new TextEncoder().encode("%PDF-1.4 x");
  return uploadFile(agent, conversationId, {
    data,
    type: "application/pdf",
    name: "preventivo.pdf",
  });
}

function sendUpload(agent: Session, conversationId: string, uploadId: string) {
  const content = { type: "media", uploadId };
  return send(agent, conversationId, { clientId: crypto.randomUUID(), content });
}

/** A conversation with a customer photo and a sent upload, then closed; the history is written. */
async function closedWithFiles(t: HistoryTenant, agent: Session, from: string) {
  const id = await takeConversation(t, agent, from, "ecco la foto");
  const photo = await customerSendsPhoto(t, agent, from, id);
  const upload = await agentUploads(agent, id);
  expect((await sendUpload(agent, id, upload.id)).status).toBe(201);
  return { id, photo, upload: upload.id };
}

describe("files of removed contents", () => {
  it("are deleted when a customer who keeps no history closes; another customer's stay", async () => {
    const t = await historyTenant();
    const agent = await deskAgent(t, "Anna", ["care"]);
    const kept = phone();
    const keptFiles = await closedWithFiles(t, agent, kept);
    await closeConversation(agent, keptFiles.id, "resolved");
    await archived(keptFiles.id);

    const forgetful = phone();
    const files = await closedWithFiles(t, agent, forgetful);
    await env.DB.prepare(
      "UPDATE customers SET keep_history = 0 WHERE tenant_id = ? AND contact_key = ?",
    )
      .bind(t.tenantId, forgetful)
      .run();
    // An upload never sent goes too: the conversation can no longer send it.
    const unsent = await agentUploads(agent, files.id);
    await closeConversation(agent, files.id, "resolved");
    await archived(files.id);

    await goneFromR2(t.tenantId, files.photo);
    await goneFromR2(t.tenantId, files.upload);
    await goneFromR2(t.tenantId, unsent.id);
    expect(await inR2(t.tenantId, keptFiles.photo)).toBe(true);
    expect(await inR2(t.tenantId, keptFiles.upload)).toBe(true);
    // Nothing left to retry.
    const stub = env.CONVERSATION.getByName(files.id);
    expect(
      await runInDurableObject(stub, (_i, s) => pendingPurges(new ActorDb(s.storage.sql))),
    ).toEqual([]);
  });

  it("never queues a file that a message still waiting to be sent names", async () => {
    const stub = env.CONVERSATION.getByName(crypto.randomUUID());
    const queued = await runInDurableObject(stub, (_i, state) => {
      const sql = state.storage.sql;
      const add = (id: string, mediaId: string, seq: number) =>
        sql.exec(
          `INSERT INTO messages (seq, id, direction, kind, text, payload, sender, created_at)
           VALUES (?, ?, 'out', 'document', 'x', ?, '{"type":"system"}', 0)`,
          seq,
          id,
          JSON.stringify({ content: { type: "document" }, media: { id: mediaId } }),
        );
      add("sent-1", "shared", 1);
      add("waiting-1", "shared", 2);
      add("sent-2", "alone", 3);
      sql.exec(
        "INSERT INTO outbox (message_id, attempts, next_at, state) VALUES ('waiting-1', 0, 0, 'queued')",
      );
      const db = new ActorDb(sql);
      dropContents(db, 0);
      // Again: idempotent.
      dropContents(db, 0);
      return pendingPurges(db);
    });
    expect(queued).toEqual(["alone"]);
  });
});

describe("files of deleted customers", () => {
  it("are deleted with the customer; another customer's stay", async () => {
    const t = await historyTenant();
    const agent = await deskAgent(t, "Anna", ["care"]);
    const other = phone();
    const otherFiles = await closedWithFiles(t, agent, other);
    await closeConversation(agent, otherFiles.id, "resolved");
    await archived(otherFiles.id);
    const leaving = phone();
    const files = await closedWithFiles(t, agent, leaving);
    await closeConversation(agent, files.id, "resolved");
    await archived(files.id);

    const customerId = await customerIdOf(t.tenantId, leaving);
    await callJson(t.admin, "DELETE", `/api/customers/${customerId}`, undefined, 204);
    await goneFromR2(t.tenantId, files.photo);
    await goneFromR2(t.tenantId, files.upload);
    expect(await inR2(t.tenantId, otherFiles.photo)).toBe(true);
    expect(await inR2(t.tenantId, otherFiles.upload)).toBe(true);
    const rows = await env.DB.prepare(
      "SELECT count(*) AS n FROM customer_deletions WHERE tenant_id = ?",
    )
      .bind(t.tenantId)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });

  it("of an open conversation are deleted when it closes", async () => {
    const t = await historyTenant();
    const agent = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const id = await takeConversation(t, agent, from, "ciao");
    const photo = await customerSendsPhoto(t, agent, from, id);
    const customerId = await customerIdOf(t.tenantId, from);
    await callJson(t.admin, "DELETE", `/api/customers/${customerId}`, undefined, 204);
    // The agent is still working on it: the photo stays until the conversation closes.
    expect(await inR2(t.tenantId, photo)).toBe(true);
    await closeConversation(agent, id, "resolved");
    await goneFromR2(t.tenantId, photo);
  });

  it("by an import in delete mode are deleted; the file's customers keep theirs", async () => {
    const t = await historyTenant();
    const agent = await deskAgent(t, "Anna", ["care"]);
    const staying = phone();
    const stayingFiles = await closedWithFiles(t, agent, staying);
    await closeConversation(agent, stayingFiles.id, "resolved");
    await archived(stayingFiles.id);
    const leaving = phone();
    const files = await closedWithFiles(t, agent, leaving);
    await closeConversation(agent, files.id, "resolved");
    await archived(files.id);

    const preview = await uploadOk(t.admin, csv([["Phone *"], [`+${staying}`]]), {
      type: "text/csv",
      mode: "replace",
      fileName: "customers.csv",
    });
    expect(preview.deletes).toBe(1);
    await apply(t.admin, preview.id);
    await goneFromR2(t.tenantId, files.photo);
    await goneFromR2(t.tenantId, files.upload);
    expect(await inR2(t.tenantId, stayingFiles.photo)).toBe(true);
    expect(await inR2(t.tenantId, stayingFiles.upload)).toBe(true);
  });

  it("are deleted by the scheduled sweep when the deletion could not tell the conversations", async () => {
    const t = await historyTenant();
    const agent = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const files = await closedWithFiles(t, agent, from);
    await closeConversation(agent, files.id, "resolved");
    await archived(files.id);
    const customerId = await customerIdOf(t.tenantId, from);
    // The deletion's batch as the API runs it, and then the request dies before telling anyone.
    const db = d1(env.DB);
    await db.batch([
      recordCustomerDeletion(env.DB, t.tenantId, customerId, Date.now()),
      rawStatement(
        db,
        sql`DELETE FROM customers WHERE id = ${customerId} AND tenant_id = ${t.tenantId}`,
      ),
    ]);
    expect(await inR2(t.tenantId, files.photo)).toBe(true);

    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.now(), cron: "*/15 * * * *" }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    await goneFromR2(t.tenantId, files.photo);
    await goneFromR2(t.tenantId, files.upload);
    const left = await env.DB.prepare(
      "SELECT 1 AS x FROM customer_deletions WHERE conversation_id = ?",
    )
      .bind(files.id)
      .first();
    expect(left).toBeNull();
  });
});

describe("uploads never sent", () => {
  it("are deleted a day after upload; a sent one stays", async () => {
    const t = await historyTenant();
    const agent = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const id = await takeConversation(t, agent, from, "mi serve il preventivo");
    const sent = await agentUploads(agent, id);
    expect((await sendUpload(agent, id, sent.id)).status).toBe(201);
    const unsent = await agentUploads(agent, id);

    // Not before the day is over.
    advanceClock(UPLOAD_TTL_MS - 60_000);
    await runDurableObjectAlarm(env.CONVERSATION.getByName(id));
    expect(await inR2(t.tenantId, unsent.id)).toBe(true);

    advanceClock(120_000);
    expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(id))).toBe(true);
    await goneFromR2(t.tenantId, unsent.id);
    expect(await inR2(t.tenantId, sent.id)).toBe(true);
    // Repeated alarms change nothing.
    await runDurableObjectAlarm(env.CONVERSATION.getByName(id));
    expect(await inR2(t.tenantId, sent.id)).toBe(true);
  });

  it("cannot be sent once deleted, even if the Worker still saw the file", async () => {
    const t = await historyTenant();
    const agent = await deskAgent(t, "Anna", ["care"]);
    const id = await takeConversation(t, agent, phone(), "ciao");
    const upload = await agentUploads(agent, id);
    const stub = env.CONVERSATION.getByName(id);
    // Its day is over (without moving the clock, which would also close the 24-hour window).
    await runInDurableObject(stub, (_i, s) => {
      s.storage.sql.exec("UPDATE uploads SET expires_at = 0 WHERE media_id = ?", upload.id);
    });
    await runDurableObjectAlarm(stub);
    await goneFromR2(t.tenantId, upload.id);
    // The send as the Worker resolved it before the file went: the actor refuses it.
    const result = await stub.sendText(
      t.tenantId,
      { id: agent.userId, name: "Anna" },
      crypto.randomUUID(),
      "[document] preventivo.pdf",
      {
        content: { type: "document", mediaId: upload.metaMediaId, filename: "preventivo.pdf" },
        media: { id: upload.id, mime: "application/pdf", filename: "preventivo.pdf", size: 10 },
      },
    );
    expect(result).toEqual({ ok: false, code: "upload_gone" });
    const res = await sendUpload(agent, id, upload.id);
    expect(res.status).toBe(404);
  });
});

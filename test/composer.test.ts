/**
 * The composer's server side through the real Worker, actors, D1, R2 and the
 * Meta simulator: uploads checked against Meta's limits (415 type, 413 size,
 * named), stored in R2 under `${tenantId}/${mediaId}` and uploaded to Meta byte
 * for byte; every kind of message an agent composes reaches the phone with the
 * Graph body Meta documents; ids of another tenant or conversation are 404;
 * sends are idempotent by clientId; the 24-hour window refuses media too; and
 * the tenant's meeting URL accepts only https.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { advanceClock, resetClock } from "../src/platform/clock";
import type { TenantSettingsView } from "../src/shared/admin";
import type { MessageView } from "../src/shared/protocol";
import {
  deskAgent,
  postForm,
  send,
  setReady,
  takeConversation,
  type UploadFile,
  uploadFile,
  uploadRequest,
} from "./kit/conversation";
import { phone } from "./kit/ids";
import { SIM_URL } from "./kit/meta";
import { call, callJson, type ErrorBody, type Session, signIn } from "./kit/session";
import { phoneHolds } from "./kit/simulator";
import { type HistoryTenant, historyTenant } from "./kit/tenant";

afterEach(() => resetClock());

// ---- files: the server looks at type, size and a WebP's header, never deeper -----------

const bytes = (n: number, head: number[] = []): Uint8Array<ArrayBuffer> => {
  const b = new Uint8Array(n);
  b.set(head);
  return b;
};
const PNG = bytes(120, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));
/** A WebP header: VP8X with the animation flag (bit 1 of byte 20) as asked. */
function webp(size: number, animated: boolean): Uint8Array<ArrayBuffer> {
  const head = [...ascii("RIFF"), 0, 0, 0, 0, ...ascii("WEBPVP8X"), 10, 0, 0, 0];
  head.push(animated ? 0x02 : 0x00);
  return bytes(size, head);
}
const MB = 1024 * 1024;

async function sent(
  session: Session,
  conversationId: string,
  content: unknown,
): Promise<MessageView> {
  const res = await send(session, conversationId, { clientId: crypto.randomUUID(), content });
  if (res.status !== 201) throw new Error(`send answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as MessageView;
}

/** The bytes Meta (the simulator) holds for a media id, fetched as Parley would: URL, then download. */
async function metaBytes(mediaId: string): Promise<{ mime: string; data: Uint8Array }> {
  const auth = { Authorization: "Bearer test-token" };
  const info = (await (await fetch(`${SIM_URL}/v23.0/${mediaId}`, { headers: auth })).json()) as {
    url: string;
    mime_type: string;
  };
  const file = await fetch(info.url, { headers: auth });
  return { mime: info.mime_type, data: new Uint8Array(await file.arrayBuffer()) };
}

/** Creates through the admin API (201 or the test fails). */
function adminCreate(admin: Session, path: string, body: unknown): Promise<{ id: string }> {
  return callJson<{ id: string }>(admin, "POST", path, body, 201);
}

let t: HistoryTenant;
let agent: Session;

beforeAll(async () => {
  t = await historyTenant();
  // Every test takes a conversation of its own: more than the default limit of 3.
  agent = await signIn("agent", t.tenantId, { name: "Alice", maxConversations: 50 });
  await env.DB.prepare(
    "INSERT INTO skillset_members (tenant_id, skillset_id, user_id, agent_priority) VALUES (?, ?, ?, 5)",
  )
    .bind(t.tenantId, t.skillsets.care!, agent.userId)
    .run();
  await setReady(agent);
});

/** A fresh customer writes and the agent accepts: the window is open. */
async function conversation(): Promise<{ id: string; customer: string }> {
  const customer = phone();
  const id = await takeConversation(t, agent, customer, "Buongiorno");
  return { id, customer };
}

describe("upload limits", () => {
  it("refuses a wrong type (415), a file over its kind's limit (413) and bad forms (400), naming the problem", async () => {
    const { id } = await conversation();
    const expectRefusal = async (file: UploadFile, status: number, code: string, words: string) => {
      const res = await uploadRequest(agent, id, file);
      expect(res.status).toBe(status);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe(code);
      expect(body.error.message).toContain(words);
      expect(body.error.fields?.[0]?.path).toBe("file");
    };
    await expectRefusal(
      { data: bytes(10), type: "text/html", name: "page.html" },
      415,
      "unsupported_type",
      "text/html",
    );
    await expectRefusal(
      { data: PNG, type: "image/gif", name: "x.gif", kind: "image" },
      415,
      "unsupported_type",
      "image/jpeg, image/png",
    );
    // Chromium's WebM recordings are not among Meta's audio types.
    await expectRefusal(
      { data: bytes(100), type: "audio/webm;codecs=opus", name: "v.webm", kind: "voice" },
      415,
      "unsupported_type",
      "audio/ogg",
    );
    await expectRefusal(
      { data: bytes(5 * MB + 1, [...PNG.subarray(0, 8)]), type: "image/png", name: "big.png" },
      413,
      "too_large",
      "5 MB",
    );
    await expectRefusal(
      { data: webp(150 * 1024, false), type: "image/webp", name: "s.webp" },
      413,
      "too_large",
      "100 KB",
    );
    // A JPEG renamed to .png: Meta would refuse the mismatch (131053), so we do first.
    await expectRefusal(
      { data: bytes(50, [0xff, 0xd8, 0xff, 0xe0]), type: "image/png", name: "renamed.png" },
      415,
      "content_mismatch",
      "image/png",
    );
    await expectRefusal(
      { data: new Uint8Array(0), type: "image/png", name: "e.png" },
      400,
      "empty",
      "empty",
    );

    // An animated sticker may be up to 500 KB; a static one of that size may not.
    const animated = await uploadFile(agent, id, {
      data: webp(150 * 1024, true),
      type: "image/webp",
      name: "a.webp",
    });
    expect(animated).toMatchObject({ kind: "sticker", mime: "image/webp", size: 150 * 1024 });

    const badKind = await uploadRequest(agent, id, {
      data: PNG,
      type: "image/png",
      name: "p.png",
      kind: "gif",
    });
    expect(badKind.status).toBe(400);
    expect(((await badKind.json()) as ErrorBody).error.fields?.[0]?.path).toBe("kind");
    const onlyKind = new FormData();
    onlyKind.set("kind", "image");
    const noFile = await postForm(agent, `/api/conversations/${id}/uploads`, onlyKind);
    expect(noFile.status).toBe(400);
    expect(((await noFile.json()) as ErrorBody).error.fields?.[0]?.path).toBe("file");
    const json = await call(agent, "POST", `/api/conversations/${id}/uploads`, { file: "x" });
    expect(json.status).toBe(415);
  });

  it("stores the file in R2 under tenant/mediaId and gives Meta the same bytes; the type comes from the name when the browser gives none", async () => {
    const { id } = await conversation();
    const pdf = bytes(300, ascii("%PDF-1.4"));
    const up = await uploadFile(agent, id, { data: pdf, type: "", name: "../../price list.pdf" });
    expect(up).toMatchObject({
      kind: "document",
      mime: "application/pdf",
      filename: "price list.pdf",
      size: 300,
    });
    const object = await env.MEDIA.get(`${t.tenantId}/${up.id}`);
    expect(object?.httpMetadata?.contentType).toBe("application/pdf");
    expect(object?.customMetadata).toMatchObject({
      conversationId: id,
      filename: "price list.pdf",
      source: "upload",
      metaMediaId: up.metaMediaId,
    });
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(pdf);
    expect(await metaBytes(up.metaMediaId)).toEqual({ mime: "application/pdf", data: pdf });
  });
});

describe("sending what the composer composes", () => {
  it("image, audio, voice, video, document and sticker reach the phone as Meta's media messages", async () => {
    const { id, customer } = await conversation();
    const image = await uploadFile(agent, id, { data: PNG, type: "image/png", name: "photo.png" });
    const audio = await uploadFile(agent, id, {
      data: bytes(200, ascii("ID3")),
      type: "audio/mpeg",
      name: "song.mp3",
    });
    const voice = await uploadFile(agent, id, {
      data: bytes(180, ascii("OggS")),
      type: "audio/ogg;codecs=opus",
      name: "blob",
      kind: "voice",
    });
    const video = await uploadFile(agent, id, {
      data: bytes(400, [0, 0, 0, 24, ...ascii("ftypisom")]),
      type: "video/mp4",
      name: "clip.mp4",
    });
    const doc = await uploadFile(agent, id, {
      data: bytes(300, ascii("%PDF-1.4")),
      type: "application/pdf",
      name: "offer.pdf",
    });
    const sticker = await uploadFile(agent, id, {
      data: webp(2000, false),
      type: "image/webp",
      name: "hi.webp",
    });
    expect(voice).toMatchObject({ kind: "voice", mime: "audio/ogg", filename: "blob" });

    const m1 = await sent(agent, id, {
      type: "media",
      uploadId: image.id,
      caption: "Ecco la foto",
    });
    expect(m1).toMatchObject({ kind: "image", text: "Ecco la foto", direction: "out" });
    // Shown on the agent's side as the image with its caption.
    expect(m1.content).toMatchObject({
      type: "media",
      kind: "image",
      caption: "Ecco la foto",
      mediaId: expect.any(String),
    });
    const m2 = await sent(agent, id, { type: "media", uploadId: audio.id });
    expect(m2).toMatchObject({ kind: "audio", text: "[audio]" });
    const m3 = await sent(agent, id, { type: "media", uploadId: voice.id });
    expect(m3).toMatchObject({ kind: "audio", text: "[voice message]" });
    const m4 = await sent(agent, id, { type: "media", uploadId: video.id, caption: "Guarda" });
    expect(m4).toMatchObject({ kind: "video", text: "Guarda" });
    const m5 = await sent(agent, id, { type: "media", uploadId: doc.id });
    expect(m5).toMatchObject({ kind: "document", text: "[document] offer.pdf" });
    const m6 = await sent(agent, id, { type: "media", uploadId: sticker.id });
    expect(m6).toMatchObject({ kind: "sticker", text: "[sticker]" });

    const out = await phoneHolds(customer, 6);
    const raws = out
      .slice(-6)
      .map((m) => ({ type: m.raw.type, body: m.raw[m.raw.type as string] }));
    expect(raws).toEqual([
      { type: "image", body: { id: image.metaMediaId, caption: "Ecco la foto" } },
      { type: "audio", body: { id: audio.metaMediaId } },
      { type: "audio", body: { id: voice.metaMediaId } },
      { type: "video", body: { id: video.metaMediaId, caption: "Guarda" } },
      { type: "document", body: { id: doc.metaMediaId, filename: "offer.pdf" } },
      { type: "sticker", body: { id: sticker.metaMediaId } },
    ]);
    // The payload keeps what the message area needs to show and serve the file.
    const { messages } = (await env.CONVERSATION.getByName(id).read(t.tenantId))!;
    expect(messages.find((m) => m.id === m5.id)?.kind).toBe("document");
  });

  it("a caption on audio or a sticker is refused naming content.caption", async () => {
    const { id } = await conversation();
    const sticker = await uploadFile(agent, id, {
      data: webp(2000, false),
      type: "image/webp",
      name: "s.webp",
    });
    const res = await send(agent, id, {
      clientId: crypto.randomUUID(),
      content: { type: "media", uploadId: sticker.id, caption: "no" },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.fields?.[0]?.path).toBe("content.caption");
  });

  it("a predefined location, a predefined message with buttons, one with a list and a plain one", async () => {
    const { id, customer } = await conversation();
    const location = await adminCreate(t.admin, "/api/admin/locations", {
      name: "Sede di Milano",
      address: "Via Roma 1, Milano",
      latitude: 45.4642,
      longitude: 9.19,
    });
    const buttons = await adminCreate(t.admin, "/api/admin/predefined-messages", {
      category: "Sales",
      title: "Satisfied?",
      text: "Are you satisfied with our answer?",
      interactive: { type: "buttons", buttons: [{ title: "Yes" }, { title: "No" }] },
    });
    const list = await adminCreate(t.admin, "/api/admin/predefined-messages", {
      category: "Sales",
      title: "Pick a shop",
      text: "Which shop?",
      interactive: {
        type: "list",
        button: "Shops",
        sections: [
          { title: "", rows: [{ title: "Milano" }, { title: "Roma", description: "Centro" }] },
          { title: "Outlet", rows: [{ title: "Serravalle" }] },
        ],
      },
    });
    const plain = await adminCreate(t.admin, "/api/admin/predefined-messages", {
      category: "Greetings",
      title: "Hello",
      text: "Hello, how can I help?",
    });
    // The agent reads them through the desk's own endpoints.
    const locs = await callJson<{ items: { id: string }[] }>(
      agent,
      "GET",
      "/api/desk/locations",
      undefined,
      200,
    );
    expect(locs.items.map((l) => l.id)).toEqual([location.id]);
    const pre = await callJson<{ items: { id: string; category: string }[] }>(
      agent,
      "GET",
      "/api/desk/predefined-messages",
      undefined,
      200,
    );
    expect(pre.items.map((p) => p.category)).toEqual(["Greetings", "Sales", "Sales"]);

    expect(await sent(agent, id, { type: "location", locationId: location.id })).toMatchObject({
      kind: "location",
      text: "[location] Sede di Milano, Via Roma 1, Milano (45.4642, 9.19)",
      // Shown on the agent's side as the location card, as the customer sees it.
      content: {
        type: "location",
        latitude: 45.4642,
        longitude: 9.19,
        name: "Sede di Milano",
        address: "Via Roma 1, Milano",
      },
    });
    expect(await sent(agent, id, { type: "predefined", predefinedId: buttons.id })).toMatchObject({
      kind: "interactive",
      text: "Are you satisfied with our answer?",
    });
    await sent(agent, id, { type: "predefined", predefinedId: list.id });
    expect(await sent(agent, id, { type: "predefined", predefinedId: plain.id })).toMatchObject({
      kind: "text",
      text: "Hello, how can I help?",
    });

    const out = (await phoneHolds(customer, 4)).slice(-4);
    expect(out[0]!.raw).toMatchObject({
      type: "location",
      location: {
        latitude: 45.4642,
        longitude: 9.19,
        name: "Sede di Milano",
        address: "Via Roma 1, Milano",
      },
    });
    expect(out[1]!.raw).toMatchObject({
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Are you satisfied with our answer?" },
        action: {
          buttons: [
            { type: "reply", reply: { id: `pre:${buttons.id}:0`, title: "Yes" } },
            { type: "reply", reply: { id: `pre:${buttons.id}:1`, title: "No" } },
          ],
        },
      },
    });
    expect(out[2]!.raw).toMatchObject({
      type: "interactive",
      interactive: {
        type: "list",
        action: {
          button: "Shops",
          sections: [
            {
              title: "Shops 1",
              rows: [{ title: "Milano" }, { title: "Roma", description: "Centro" }],
            },
            { title: "Outlet", rows: [{ id: `pre:${list.id}:1.0`, title: "Serravalle" }] },
          ],
        },
      },
    });
    expect(out[3]!.raw).toMatchObject({ type: "text", text: { body: "Hello, how can I help?" } });
  });
});

describe("ids, idempotency and the window", () => {
  it("another tenant's upload, location or message, or another conversation's upload, is 404", async () => {
    const { id } = await conversation();
    const other = await historyTenant();
    const otherAgent = await deskAgent(other, "Olga", ["care"]);
    const otherId = await takeConversation(other, otherAgent, phone(), "Ciao");
    const foreign = await uploadFile(otherAgent, otherId, {
      data: PNG,
      type: "image/png",
      name: "f.png",
    });
    const foreignLocation = await adminCreate(other.admin, "/api/admin/locations", {
      name: "Altrove",
      latitude: 1,
      longitude: 2,
    });
    const foreignMessage = await adminCreate(other.admin, "/api/admin/predefined-messages", {
      category: "X",
      title: "X",
      text: "X",
    });
    for (const content of [
      { type: "media", uploadId: foreign.id },
      { type: "location", locationId: foreignLocation.id },
      { type: "predefined", predefinedId: foreignMessage.id },
    ]) {
      const res = await send(agent, id, { clientId: crypto.randomUUID(), content });
      expect(res.status, JSON.stringify(content)).toBe(404);
    }
    // Same tenant, another conversation: its file went to Meta through that conversation.
    const { id: second } = await conversation();
    const mine = await uploadFile(agent, second, { data: PNG, type: "image/png", name: "m.png" });
    expect(
      (
        await send(agent, id, {
          clientId: crypto.randomUUID(),
          content: { type: "media", uploadId: mine.id },
        })
      ).status,
    ).toBe(404);
    // Uploading into someone else's conversation.
    expect(
      (await uploadRequest(agent, otherId, { data: PNG, type: "image/png", name: "x.png" })).status,
    ).toBe(404);
    // Nothing was sent from the refused attempts.
    const { messages } = (await env.CONVERSATION.getByName(id).read(t.tenantId))!;
    expect(messages.filter((m) => m.direction === "out" && m.sender.type === "agent")).toEqual([]);
  });

  it("a body with both text and content, or neither, is 400 naming content", async () => {
    const { id } = await conversation();
    for (const body of [
      { clientId: crypto.randomUUID() },
      { clientId: crypto.randomUUID(), text: "a", content: { type: "text", text: "b" } },
      { clientId: crypto.randomUUID(), content: { type: "media", uploadId: "nope" } },
    ]) {
      const res = await send(agent, id, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.fields?.[0]?.path).toMatch(/^content/);
    }
  });

  it("a retried send with the same clientId returns the same message and reaches the phone once", async () => {
    const { id, customer } = await conversation();
    const up = await uploadFile(agent, id, { data: PNG, type: "image/png", name: "p.png" });
    const body = { clientId: crypto.randomUUID(), content: { type: "media", uploadId: up.id } };
    const first = (await (await send(agent, id, body)).json()) as MessageView;
    const again = await send(agent, id, body);
    expect(again.status).toBe(201);
    expect(((await again.json()) as MessageView).id).toBe(first.id);
    await phoneHolds(customer, 1);
    await new Promise((r) => setTimeout(r, 200));
    const out = await phoneHolds(customer, 1);
    expect(out.filter((m) => m.type === "image")).toHaveLength(1);
  });

  it("media after the 24-hour window is refused with 409 before anything is queued", async () => {
    const { id } = await conversation();
    const up = await uploadFile(agent, id, { data: PNG, type: "image/png", name: "p.png" });
    advanceClock(24 * 60 * 60 * 1000 + 1000);
    const res = await send(agent, id, {
      clientId: crypto.randomUUID(),
      content: { type: "media", uploadId: up.id },
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.code).toBe("window_closed");
  });
});

describe("meeting URL", () => {
  it("accepts https or empty, refuses anything else naming meetingUrl, and agents read it", async () => {
    const path = "/api/admin/settings";
    let s = await callJson<TenantSettingsView>(t.admin, "GET", path, undefined, 200);
    expect(s.meetingUrl).toBe("");
    for (const bad of [
      "http://meet.example.com/x",
      "meet.example.com",
      "javascript:alert(1)",
      "https://",
    ]) {
      const res = await call(t.admin, "PATCH", path, { version: s.version, meetingUrl: bad });
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as ErrorBody).error.fields?.[0]?.path).toBe("meetingUrl");
    }
    s = await callJson<TenantSettingsView>(
      t.admin,
      "PATCH",
      path,
      {
        version: s.version,
        meetingUrl: "https://meet.example.com/parley",
      },
      200,
    );
    expect(s.meetingUrl).toBe("https://meet.example.com/parley");
    expect(await callJson(agent, "GET", "/api/desk/meeting-url", undefined, 200)).toEqual({
      meetingUrl: "https://meet.example.com/parley",
    });
    s = await callJson<TenantSettingsView>(
      t.admin,
      "PATCH",
      path,
      { version: s.version, meetingUrl: "" },
      200,
    );
    expect(s.meetingUrl).toBe("");
    expect((await call("", "GET", "/api/desk/meeting-url")).status).toBe(401);
  });
});

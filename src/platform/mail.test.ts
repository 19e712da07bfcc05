import { describe, expect, it } from "vitest";
import { type Transcript, transcriptMail } from "./mail";

const transcript: Transcript = {
  conversationId: "c-1",
  customer: { name: "Maria Rossi", phone: "+393331234567" },
  number: { name: "Sales", displayPhone: "+39 02 5555 0101" },
  timeZone: "Europe/Rome",
  openedAt: Date.UTC(2026, 11, 8, 9),
  closedAt: null,
  agentName: "Anna",
  closedByName: null,
  closeReason: null,
  closeNotes: null,
  messages: [
    {
      senderName: "Anna",
      text: "Il nostro logo",
      createdAt: Date.UTC(2026, 11, 8, 9, 1),
      kind: "image",
    },
    {
      senderName: "Maria Rossi",
      text: "[document] offer.pdf",
      createdAt: Date.UTC(2026, 11, 8, 9, 2),
      kind: "document",
    },
    {
      senderName: "Maria Rossi",
      text: "Grazie",
      createdAt: Date.UTC(2026, 11, 8, 9, 3),
      kind: "text",
    },
  ],
};

describe("the transcript mail", () => {
  it("names a file before its caption, in the mail's language; a summary stays as it is", () => {
    const en = transcriptMail("en", "a@example.com", transcript).text;
    expect(en).toContain("Anna: [Image] Il nostro logo");
    expect(en).toContain("Maria Rossi: [document] offer.pdf");
    expect(en).toContain("Maria Rossi: Grazie");
    expect(transcriptMail("it", "a@example.com", transcript).text).toContain(
      "Anna: [Immagine] Il nostro logo",
    );
  });
});

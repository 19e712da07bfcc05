/** The composer's pure logic: pickers' filters, video-call links, insertion, emoji grid, voice format. */
import { describe, expect, it } from "vitest";
import { moveInGrid } from "./emoji";
import {
  categoriesOf,
  filterLocations,
  filterPredefined,
  insertAt,
  meetingLink,
  newRoomName,
  type PredefinedItem,
} from "./pickers";
import { needsOggRewrap, pickVoiceMime, voiceFilename } from "./voice";

const item = (id: string, category: string, title: string, text: string): PredefinedItem => ({
  id,
  category,
  title,
  text,
  interactive: null,
});

describe("predefined messages picker", () => {
  const items = [
    item("1", "Vendite", "Prezzi", "Ecco il listino"),
    item("2", "accoglienza", "Saluto", "Buongiorno, come posso aiutarla?"),
    item("3", "Vendite", "Perché noi", "Perché siamo i migliori"),
  ];

  it("groups by category in reading order and filters by words, ignoring accents and case", () => {
    expect(categoriesOf(items)).toEqual(["accoglienza", "Vendite"]);
    expect(
      filterPredefined(items, "", "").map((g) => [g.category, g.items.map((i) => i.id)]),
    ).toEqual([
      ["accoglienza", ["2"]],
      ["Vendite", ["1", "3"]],
    ]);
    expect(
      filterPredefined(items, "", "PERCHE migl").flatMap((g) => g.items.map((i) => i.id)),
    ).toEqual(["3"]);
    expect(filterPredefined(items, "Vendite", "buongiorno")).toEqual([]);
    expect(
      filterPredefined(items, "accoglienza", "").flatMap((g) => g.items.map((i) => i.id)),
    ).toEqual(["2"]);
  });

  it("filters locations by name and address", () => {
    const locs = [
      { id: "a", name: "Sede", address: "Via Roma 1, Milano", latitude: 1, longitude: 2 },
      { id: "b", name: "Magazzino", address: "Torino", latitude: 3, longitude: 4 },
    ];
    expect(filterLocations(locs, "milano").map((l) => l.id)).toEqual(["a"]);
    expect(filterLocations(locs, "").map((l) => l.id)).toEqual(["a", "b"]);
  });
});

describe("video-call link", () => {
  it("appends a fresh room to the meeting URL, keeping its query", () => {
    expect(meetingLink("https://meet.example.com/team/", "parley-abc")).toBe(
      "https://meet.example.com/team/parley-abc",
    );
    expect(meetingLink("https://meet.example.com?pwd=1", "r")).toBe(
      "https://meet.example.com/r?pwd=1",
    );
    const room = newRoomName();
    expect(room).toMatch(/^parley-[0-9a-z]{12}$/);
    expect(newRoomName()).not.toBe(room);
  });
});

describe("insertAt", () => {
  it("replaces the selection and puts the caret after the insertion", () => {
    expect(insertAt("Hello world", 6, 11, "there", 4096)).toEqual({
      text: "Hello there",
      caret: 11,
    });
    expect(insertAt("Ciao", 4, 4, "https://x", 4096, true)).toEqual({
      text: "Ciao https://x",
      caret: 14,
    });
    expect(insertAt("", 0, 0, "x", 4096, true)).toEqual({ text: "x", caret: 1 });
  });

  it("never goes over the limit nor cuts an emoji in half", () => {
    expect(insertAt("abc", 3, 3, "defg", 5)).toEqual({ text: "abcde", caret: 5 });
    expect(insertAt("abcd", 4, 4, "😀", 5)).toEqual({ text: "abcd", caret: 4 });
    expect(insertAt("abc", 3, 3, "😀", 5)).toEqual({ text: "abc😀", caret: 5 });
  });
});

describe("emoji grid keys", () => {
  it("moves by arrows within bounds, Home/End by row, PageUp/PageDown to the ends", () => {
    expect(moveInGrid(0, "ArrowLeft", 8, 20)).toBe(0);
    expect(moveInGrid(7, "ArrowRight", 8, 20)).toBe(8);
    expect(moveInGrid(3, "ArrowDown", 8, 20)).toBe(11);
    expect(moveInGrid(15, "ArrowDown", 8, 20)).toBe(15);
    expect(moveInGrid(11, "ArrowUp", 8, 20)).toBe(3);
    expect(moveInGrid(19, "End", 8, 20)).toBe(19);
    expect(moveInGrid(10, "Home", 8, 20)).toBe(8);
    expect(moveInGrid(10, "PageDown", 8, 20)).toBe(19);
    expect(moveInGrid(10, "a", 8, 20)).toBeNull();
  });
});

describe("voice note format", () => {
  it("prefers Ogg/Opus, then WebM/Opus (rewrapped as Ogg), then MP4 audio", () => {
    expect(pickVoiceMime(() => true)).toBe("audio/ogg;codecs=opus");
    expect(pickVoiceMime((t) => t.startsWith("audio/webm") || t === "audio/mp4")).toBe(
      "audio/webm;codecs=opus",
    );
    expect(pickVoiceMime((t) => t === "audio/mp4")).toBe("audio/mp4");
    expect(pickVoiceMime(() => false)).toBeNull();
    expect(needsOggRewrap("audio/webm;codecs=opus")).toBe(true);
    expect(needsOggRewrap("audio/ogg")).toBe(false);
    expect(voiceFilename("audio/ogg;codecs=opus", new Date("2026-11-21T10:11:12Z"))).toBe(
      "voice-20261121101112.ogg",
    );
    expect(voiceFilename("audio/mp4", new Date("2026-11-21T10:11:12Z"))).toMatch(/\.m4a$/);
  });
});

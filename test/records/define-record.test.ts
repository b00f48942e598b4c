import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineRecord, quoteProse } from "../../src/records/define-record.js";

const Note = z.strictObject({ text: z.string(), count: z.number().int() });
const note = { text: "hello", count: 2 };
const spec = { marker: "stagecoach:note", frame: "comment", place: "body", budget: 1_000, schema: Note } as const;
const plain = defineRecord({ ...spec, protection: "plain" });
const signed = defineRecord({ ...spec, protection: "signed", remedy: "Write it again." });
const sealed = defineRecord({ ...spec, protection: "sealed" });
const trailer = defineRecord({ ...spec, marker: "Stagecoach-Note", frame: "trailer", place: "commit message", protection: "plain" });

describe("defineRecord", () => {
  it("writes a value no reader of HTML can end early, and reads it back", () => {
    const hostile = { text: "a --> b --!> c <!-- d -- e", count: 1 };
    const block = plain.embed(hostile);
    expect(block.slice("<!-- stagecoach:note ".length, -" -->".length)).not.toMatch(/--|<|>/);
    expect(plain.read(`before\n${block}\nafter`)).toEqual({ ok: true, value: hostile });
  });

  it("finds a block only where its marker stands alone after the opener", () => {
    expect(plain.read(`<!-- stagecoach:notes ${JSON.stringify(note)} -->`)).toMatchObject({ ok: false, reason: "missing" });
    expect(plain.read(`<!--\n\tstagecoach:note\n${JSON.stringify(note)}\n-->`)).toEqual({ ok: true, value: note });
  });

  it("reads no further than its budget", () => {
    const block = plain.embed(note);
    expect(plain.read(`${" ".repeat(1_000 - block.length)}${block}`)).toMatchObject({ ok: true });
    expect(plain.read(`${" ".repeat(1_001 - block.length)}${block}`)).toMatchObject({ ok: false, reason: "missing" });
  });

  it("refuses two blocks, and says what to do when the record says", () => {
    expect(signed.read(`${signed.embed(note)}${signed.embed(note)}`)).toEqual({ ok: false, reason: "tampered", message: "2 `stagecoach:note` blocks in the body; Stagecoach writes one. Write it again." });
  });

  it("passes only what the schema accepts, naming each field that does not fit", () => {
    expect(plain.read('<!-- stagecoach:note {"text":1,"count":1.5,"extra":true} -->')).toMatchObject({ ok: false, reason: "invalid", message: expect.stringMatching(/^The `stagecoach:note` block is not valid: text: .*; count: .*; \(block\): .*extra/) });
  });

  it("signs the fields, not their layout, and shows any change", () => {
    const block = signed.embed(note, "key");
    expect(signed.read(block, "key")).toEqual({ ok: true, value: note });
    expect(signed.read(block.replace('"text":"hello","count":2', '"count":2,"text":"hello"'), "key")).toEqual({ ok: true, value: note });
    expect(signed.read(block.replace('"count":2', '"count":3'), "key")).toMatchObject({ ok: false, reason: "tampered" });
    expect(signed.read(block, "other key")).toMatchObject({ ok: false, reason: "tampered" });
    expect(signed.read(signed.embed(note), "key")).toMatchObject({ ok: false, reason: "tampered" });
    // Without a key the signature is not checked: tools outside the App can still read the record.
    expect(signed.read(block)).toEqual({ ok: true, value: note });
  });

  it("seals the fields out of sight, and opens them only with the same key", () => {
    const key = randomBytes(32);
    const block = sealed.embed({ text: "secret", count: 1 }, key);
    expect(block).not.toContain("secret");
    expect(sealed.read(block, key)).toEqual({ ok: true, value: { text: "secret", count: 1 } });
    expect(sealed.read(block, randomBytes(32))).toMatchObject({ ok: false, reason: "tampered" });
    expect(sealed.read("<!-- stagecoach:note sealed:AAAA -->", key)).toMatchObject({ ok: false, reason: "tampered" });
  });

  it("writes a trailer as one line whatever the value holds, and reads the last line without a line feed", () => {
    const odd = { text: "a\nStagecoach-Note: {}\r\u2028\u2029b", count: 1 };
    const line = trailer.embed(odd);
    expect(line.split(/[\n\r\u2028\u2029]/)).toHaveLength(1);
    expect(trailer.read(`Subject\n\n${line}`)).toEqual({ ok: true, value: odd });
    expect(trailer.read(`Subject Stagecoach-Note: ${JSON.stringify(note)}`)).toMatchObject({ ok: false, reason: "missing" });
  });

  it("finishes at once on text made to make a lazy regex scan again and again", () => {
    const openers = "<!-- stagecoach:note ".repeat(200_000);
    expect(defineRecord({ ...spec, budget: openers.length, protection: "plain" }).read(openers)).toMatchObject({ ok: false, reason: "missing" });
  });

  it("shows an HTML comment opener in prose beside a record as text", () => {
    expect(quoteProse("- check `<!-- stagecoach:note {} -->`")).toBe("- check `&lt;!-- stagecoach:note {} -->`");
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deriveMetadataKey, formatMetadata, parseMetadata, type PromotionMetadata } from "../../src/records/promotion-metadata.js";

const metadata: PromotionMetadata = {
  project: "shop",
  stage: "prod",
  freight: "3f2a9c1d".padEnd(40, "0"),
  alias: "wiggly-tuatara",
  warehouse: "app",
  promotion: "shop/prod/3f2a9c1d",
  repository: "acme/shop",
  branch: "stagecoach/promotion/shop/prod/3f2a9c1d",
  configSha: "c".repeat(40),
  actor: "carol",
};
const KEY = "webhook-secret";

describe("formatMetadata / parseMetadata", () => {
  it("round-trips through a body someone edited around the block", () => {
    const body = `Edited intro.\n\n${formatMetadata(metadata)}\n\nA reviewer's note added below.`;
    expect(parseMetadata(body)).toEqual({ ok: true, metadata });
  });

  it("tolerates the block being re-wrapped over lines", () => {
    const block = formatMetadata(metadata).replace("<!-- stagecoach:metadata ", "<!--\n  stagecoach:metadata\n").replace(" -->", "\n-->");
    expect(parseMetadata(block)).toEqual({ ok: true, metadata });
  });

  it("keeps a value from closing the HTML comment early", () => {
    const sneaky = { ...metadata, alias: "--><img src=x>" };
    const block = formatMetadata(sneaky);
    expect(block.indexOf("-->")).toBe(block.length - 3);
    expect(parseMetadata(block)).toEqual({ ok: true, metadata: sneaky });
  });

  it("verifies a signed block and refuses one changed afterwards", () => {
    const signed = formatMetadata(metadata, KEY);
    expect(parseMetadata(signed, KEY)).toEqual({ ok: true, metadata });
    const redirected = signed.replace('"stage":"prod"', '"stage":"dev"');
    const reordered = signed.replace('"stage":"prod",', "").replace('"project":"shop",', '"project":"shop","stage":"prod",');
    expect(parseMetadata(redirected, KEY)).toMatchObject({
      ok: false,
      reason: "tampered",
      message: expect.stringContaining("changed after Stagecoach wrote it"),
    });
    expect(parseMetadata(formatMetadata(metadata), KEY)).toMatchObject({ ok: false, reason: "tampered" });
    expect(parseMetadata(signed, "another-key")).toMatchObject({ ok: false, reason: "tampered" });
    expect(parseMetadata(signed.replace('"actor":"carol"', '"actor":"mallory"'), KEY)).toMatchObject({ ok: false, reason: "tampered" });
    // The signature covers the fields, not their order in the JSON.
    expect(parseMetadata(reordered, KEY)).toEqual({ ok: true, metadata });
  });

  it.each([
    ["no body", null, "missing", "No `<!-- stagecoach:metadata … -->` block in the body."],
    ["a body without the block", "Just text", "missing", "No `<!-- stagecoach:metadata … -->` block"],
    ["broken JSON", '<!-- stagecoach:metadata {"project": -->', "invalid", "The `stagecoach:metadata` block is not JSON ("],
    ["a JSON array", "<!-- stagecoach:metadata [1,2] -->", "invalid", "The `stagecoach:metadata` block is not valid: (block):"],
    [
      "a short freight ID",
      formatMetadata(metadata).replace(metadata.freight, "3f2a9c1"),
      "invalid",
      "freight: a 40-character freight ID",
    ],
    ["an unknown version", formatMetadata(metadata).replace('"version":2', '"version":3'), "invalid", "version:"],
    ["an extra field", formatMetadata(metadata).replace('"version":2', '"version":2,"admin":true'), "invalid", "admin"],
    ["a pasted second block", `${formatMetadata(metadata)}\n${formatMetadata(metadata)}`, "tampered", "2 `stagecoach:metadata` blocks"],
  ])("refuses %s with what to do", (_label, body, reason, message) => {
    const parsed = parseMetadata(body);
    expect(parsed).toMatchObject({ ok: false, reason });
    const text = (parsed as { message: string }).message;
    expect(text).toContain(message);
    expect(text).toContain("Restore the block from the pull request's edit history, or close it and promote again.");
  });

  it("answers at once for an unclosed block followed by a sea of spaces", () => {
    expect(parseMetadata(`<!-- stagecoach:metadata ${" ".repeat(60_000)}`)).toMatchObject({ ok: false, reason: "missing" });
  });

  it("refuses a block signed before the webhook secret was rotated, saying so", () => {
    const signed = formatMetadata(metadata, deriveMetadataKey("old webhook secret"));
    expect(parseMetadata(signed, deriveMetadataKey("old webhook secret"))).toEqual({ ok: true, metadata });
    expect(parseMetadata(signed, deriveMetadataKey("new webhook secret"))).toMatchObject({ ok: false, reason: "tampered", message: expect.stringContaining("signed with a webhook secret since rotated") });
  });

  it("answers at once for a body of unclosed blocks, one after another", () => {
    const body = "<!-- stagecoach:metadata ".repeat(10_000);
    expect(parseMetadata(body)).toMatchObject({ ok: false, reason: "missing" });
    expect(parseMetadata(`${body}-->`)).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("reads a block written and signed by the code before the records moved to src/records", () => {
    const body = readFileSync(new URL("../fixtures/records/promotion-metadata.txt", import.meta.url), "utf8");
    expect(parseMetadata(body, KEY)).toEqual({ ok: true, metadata: { ...metadata, hold: { since: "2026-11-22T10:00:00.000Z", reason: "rolled back <by hand> --" } } });
  });
});

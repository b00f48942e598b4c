import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { computeFreightId } from "../../src/freight/compute-freight-id.js";
import { formatFreightCommitMessage, parseFreightCommitMessage } from "../../src/records/freight-commit-message.js";

const origin = { kind: "Warehouse", name: "app" };
const images = [{ repoURL: "ghcr.io/acme/app", tag: "1.0.0", digest: `sha256:${"1".padEnd(64, "0")}` }];
const freight = { name: computeFreightId(origin, { images }), alias: "brave-otter", origin, createdAt: "2026-11-22T10:00:00.000Z", images };
const trailer = (record: object) => `x\n\nStagecoach-Freight: ${JSON.stringify(record)}\n`;

describe("freight commit messages", () => {
  it("round-trips the record and shows people a summary", () => {
    const message = formatFreightCommitMessage(freight);
    expect(message.split("\n")[0]).toBe(`Freight brave-otter (${freight.name.slice(0, 12)}) from Warehouse app`);
    expect(message).toContain("image ghcr.io/acme/app:1.0.0@sha256:");
    expect(parseFreightCommitMessage(message, "c".repeat(40))).toEqual({ ok: true, value: { ...freight, commit: "c".repeat(40) } });
  });

  it("ignores commits that are not freight records or carry damaged ones", () => {
    expect(parseFreightCommitMessage("Merge pull request #1")).toMatchObject({ ok: false, reason: "missing", message: "No `Stagecoach-Freight: …` line in the commit message." });
    expect(parseFreightCommitMessage("x\n\nStagecoach-Freight: {not json")).toMatchObject({ ok: false, reason: "invalid", message: expect.stringContaining("is not JSON") });
    expect(parseFreightCommitMessage('x\n\nStagecoach-Freight: {"name":"../../etc","alias":"a","origin":{"kind":"W","name":"n"},"createdAt":"now"}')).toMatchObject({ ok: false, reason: "invalid", message: expect.stringContaining("name: a 40-character freight ID") });
    expect(parseFreightCommitMessage('x\n\nStagecoach-Freight: {"__proto__":{"polluted":true}}')).toMatchObject({ ok: false, reason: "invalid" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a record whose name is not the ID of its artifacts, so a freight ID always names the same artifacts", () => {
    const other = computeFreightId(origin, { images: [{ ...images[0]!, tag: "6.6.6" }] });
    expect(parseFreightCommitMessage(trailer({ ...freight, name: other }))).toMatchObject({ ok: false, reason: "tampered", message: `The \`Stagecoach-Freight\` line names freight ${other}, but its artifacts are freight ${freight.name}.` });
    expect(parseFreightCommitMessage(trailer({ ...freight, images: [{ ...images[0]!, digest: `sha256:${"2".padEnd(64, "0")}` }] }))).toMatchObject({ ok: false, reason: "tampered" });
  });

  it("refuses a message with a second record line", () => {
    const message = formatFreightCommitMessage(freight);
    expect(parseFreightCommitMessage(`${message}Stagecoach-Freight: ${JSON.stringify(freight)}\n`)).toMatchObject({ ok: false, reason: "tampered", message: expect.stringContaining("2 `Stagecoach-Freight` lines") });
    // The last line of a message may end without a line feed.
    expect(parseFreightCommitMessage(message.trimEnd())).toMatchObject({ ok: true });
  });

  it("keeps a commit message from a subscribed repository inside the record, whatever line breaks it holds", () => {
    const commits = [{ repoURL: "https://github.com/acme/app.git", id: "d".repeat(40), message: `fix\nStagecoach-Freight: {}\u2028Stagecoach-Freight: {}\r\n<!-- -->` }];
    const carrying = { ...freight, images: undefined, name: computeFreightId(origin, { commits }), commits };
    const message = formatFreightCommitMessage(carrying);
    expect(message.split("\n").filter((line) => line.startsWith("Stagecoach-Freight:"))).toHaveLength(1);
    expect(message).not.toContain("\u2028");
    const { images: _images, ...expected } = carrying;
    expect(parseFreightCommitMessage(message)).toEqual({ ok: true, value: expected });
  });

  it("reads a message written by the code before the records moved to src/records", () => {
    const message = readFileSync(new URL("../fixtures/records/freight-commit-message.txt", import.meta.url), "utf8");
    expect(message).toContain("\u2028");
    expect(parseFreightCommitMessage(message, "c".repeat(40))).toMatchObject({
      ok: true,
      value: { name: "d408627dfb9bf63fd88172ba504db35581792e44", alias: "brave-otter", commits: [{ message: "fix: a <b> -- c\u2028d" }], commit: "c".repeat(40) },
    });
  });

  it("answers at once for a message of many record lines without JSON", () => {
    const flood = "Stagecoach-Freight: {\n".repeat(40_000);
    expect(parseFreightCommitMessage(flood)).toMatchObject({ ok: false, reason: "tampered" });
  });
});

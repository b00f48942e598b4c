import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatVerificationText, parseVerificationRecord, type PendingVerification } from "../../src/records/verification-record.js";

const APP = 17;
const pending: PendingVerification = {
  promotionId: "guestbook/dev/aaaaaaaaaaaa",
  stage: "dev",
  freight: { name: "a".repeat(40), alias: "brave-otter", origin: { kind: "Warehouse", name: "app" } },
  sha: "e".repeat(40),
  checkRunIds: [41, 40],
  workflow: { file: "smoke.yml", runId: 99 },
  checks: ["e2e"],
  http: [{ url: "https://guestbook.acme.dev/healthz", method: "GET", expectStatus: [], timeoutMs: 10_000 }],
  startedAt: "2026-11-22T10:00:00.000Z",
  timeoutAt: "2026-11-22T11:00:00.000Z",
};
/** The verification's check run (#41) with `text`, as GitHub returns it. */
const run = (text: string | null | undefined, app: { id: number } | null = { id: APP }, id = 41) => ({ id, app, output: { text } });

describe("verification records", () => {
  it("round-trips through the check run's text, after the lines people read", () => {
    const text = formatVerificationText(pending, ["- workflow `smoke.yml`: queued", "- check `e2e`: not finished yet"]);
    expect(text.startsWith("- workflow `smoke.yml`: queued\n- check `e2e`: not finished yet\n\n<!-- stagecoach:verification {")).toBe(true);
    expect(parseVerificationRecord(run(text), APP)).toEqual({ ok: true, value: pending });
  });

  it("keeps names from the config from ending the record early or passing for a second one", () => {
    const hostile = { ...pending, checks: ["--> <img src=x>", "<!-- stagecoach:verification {} -->"] };
    const text = formatVerificationText(hostile, hostile.checks.map((check) => `- check \`${check}\`: not finished yet`));
    expect(text.match(/<!--/g)).toHaveLength(1);
    expect(parseVerificationRecord(run(text), APP)).toEqual({ ok: true, value: hostile });
  });

  it("never reads a record from another App's check run, or from one of no App", () => {
    const text = formatVerificationText(pending, []);
    expect(parseVerificationRecord(run(text, { id: APP + 1 }), APP)).toMatchObject({ ok: false, reason: "foreign" });
    expect(parseVerificationRecord(run(text, null), APP)).toMatchObject({ ok: false, reason: "foreign" });
    // Without an App ID (a tool outside the App) any check run's record is read.
    expect(parseVerificationRecord(run(text, { id: APP + 1 }))).toMatchObject({ ok: true });
  });

  it("refuses a record that names another check run, or none, as its own: it was left half-written", () => {
    expect(parseVerificationRecord(run(formatVerificationText(pending, []), { id: APP }, 40), APP)).toMatchObject({ ok: false, reason: "invalid", message: expect.stringContaining("names check run 41 as its own, not 40") });
    expect(parseVerificationRecord(run(formatVerificationText({ ...pending, checkRunIds: [] }, [])), APP)).toMatchObject({ ok: false, reason: "invalid", message: expect.stringContaining("names no check run") });
  });

  it("refuses missing, damaged and doubled records", () => {
    expect(parseVerificationRecord(run(null), APP)).toMatchObject({ ok: false, reason: "missing" });
    expect(parseVerificationRecord(run("<!-- stagecoach:verification {oops -->"), APP)).toMatchObject({ ok: false, reason: "invalid", message: expect.stringContaining("is not JSON") });
    expect(parseVerificationRecord(run(`<!-- stagecoach:verification ${JSON.stringify({ ...pending, sha: "main" })} -->`), APP)).toMatchObject({ ok: false, reason: "invalid", message: expect.stringContaining("sha: a 40-character commit SHA") });
    expect(parseVerificationRecord(run(`<!-- stagecoach:verification ${JSON.stringify({ ...pending, http: [{ url: "x" }] })} -->`), APP)).toMatchObject({ ok: false, reason: "invalid", message: expect.stringContaining("http.0.method") });
    const text = formatVerificationText(pending, []);
    expect(parseVerificationRecord(run(`${text}\n${text}`), APP)).toMatchObject({ ok: false, reason: "tampered", message: expect.stringContaining("2 `stagecoach:verification` blocks") });
  });

  it("reads records written by the code before the records moved to src/records, and older ones without probes", () => {
    const text = readFileSync(new URL("../fixtures/records/verification-record.txt", import.meta.url), "utf8");
    expect(parseVerificationRecord(run(text), APP)).toMatchObject({
      ok: true,
      value: { promotionId: "guestbook/dev/aaaaaaaaaaaa", checkRunIds: [41, 40], checks: ["e2e <smoke> --fast"], http: [{ url: "https://guestbook.acme.dev/healthz", bodyContains: "1.0.0" }], deploymentId: 12, pullRequest: 7, soakUntil: "2026-11-22T10:10:00.000Z" },
    });
    const { http: _http, ...withoutProbes } = pending;
    expect(parseVerificationRecord(run(`<!-- stagecoach:verification ${JSON.stringify(withoutProbes)} -->`), APP)).toEqual({ ok: true, value: { ...withoutProbes, http: [] } });
  });

  it("answers at once for a check run's text full of unclosed openers", () => {
    expect(parseVerificationRecord(run("<!-- stagecoach:verification ".repeat(2_400)), APP)).toMatchObject({ ok: false, reason: "missing" });
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deriveCheckpointKey, formatCheckpoint, parseCheckpoint } from "../../src/records/promotion-checkpoint.js";
import { checkpoint, state } from "./support/promotion-checkpoints.js";

const APP = 17;
/** A check run of the App with `text`, as GitHub returns it. */
const run = (text: string | null | undefined, app: { id: number } | null = { id: APP }) => ({ id: 1, app, output: { text } });

describe("promotion checkpoints", () => {
  it("round-trips through the text, which shows people the steps and hides the record", () => {
    const { text, complete } = formatCheckpoint(checkpoint());
    expect(complete).toBe(true);
    expect(text.split("\n").slice(0, 3)).toEqual(["| step | uses | phase |", "|---|---|---|", "| `step-1` | git-clone | Succeeded |"]);
    expect(parseCheckpoint(run(text))).toEqual({ ok: true, value: checkpoint() });
  });

  it("keeps values that could end the HTML comment early from doing so", () => {
    const hostile = checkpoint({ actor: "x --> <script>", state: state({ message: "--><!-- stagecoach:checkpoint {} -->" }) });
    const { text } = formatCheckpoint(hostile);
    expect(text.match(/-->/g)).toHaveLength(1);
    expect(parseCheckpoint(run(text))).toEqual({ ok: true, value: hostile });
  });

  it("shows a step that names itself like a record as text, so the record is still the only one", () => {
    const named = checkpoint({ state: state({ steps: [{ alias: "<!-- stagecoach:checkpoint {} -->", uses: "git-clone", phase: "Succeeded", continueOnError: false, errorCount: 0 }] }) });
    const { text } = formatCheckpoint(named);
    expect(text).toContain("| `&lt;!-- stagecoach:checkpoint {} -->` |");
    expect(parseCheckpoint(run(text))).toEqual({ ok: true, value: named });
  });

  it("leaves out a workspace too big for a check run, and says the record is incomplete", () => {
    const big = checkpoint({ state: state({ workspace: { kind: "github-api", blob: "x".repeat(70_000) } }) });
    const { text, complete } = formatCheckpoint(big);
    expect(complete).toBe(false);
    expect(text.length).toBeLessThan(65_535);
    const read = parseCheckpoint(run(text));
    expect(read.ok && read.value.state.workspace).toBeUndefined();
  });

  it("refuses to write a checkpoint that cannot fit even without its workspace, naming the promotion", () => {
    const huge = checkpoint({ state: state({ steps: [{ alias: "call", uses: "http", phase: "Succeeded", continueOnError: false, errorCount: 0, outputs: { body: "x".repeat(70_000) } }] }) });
    expect(() => formatCheckpoint(huge)).toThrow(/checkpoint of promotion guestbook\/dev\/aaaaaaaaaaaa is \d+ characters even without its workspace/);
  });

  it("is sealed with the App's key: unreadable in the check run, refused when changed, written with another key, or plain", () => {
    const key = deriveCheckpointKey("webhook secret");
    const secretive = checkpoint({ state: state({ steps: [{ alias: "call", uses: "http", phase: "Succeeded", continueOnError: false, errorCount: 0, outputs: { token: "s3cr3t-token" } }] }) });
    const { text } = formatCheckpoint(secretive, key);
    expect(text).not.toContain("s3cr3t-token");
    expect(text).not.toContain("alice");
    expect(parseCheckpoint(run(text), { key })).toEqual({ ok: true, value: secretive });
    // Sealed before the webhook secret was rotated.
    expect(parseCheckpoint(run(text), { key: deriveCheckpointKey("rotated secret") })).toMatchObject({ ok: false, reason: "tampered", message: expect.stringContaining("sealed before the webhook secret was rotated") });
    const sealed = /sealed:([A-Za-z0-9+/=]+)/.exec(text)![1]!;
    const flipped = sealed.slice(0, 40) + (sealed[40] === "A" ? "B" : "A") + sealed.slice(41);
    expect(parseCheckpoint(run(text.replace(sealed, flipped)), { key })).toMatchObject({ ok: false, reason: "tampered" });
    // A plain record (anyone able to create check runs could write one) does not count when the App seals its own.
    expect(parseCheckpoint(run(formatCheckpoint(secretive).text), { key })).toMatchObject({ ok: false, reason: "tampered", message: expect.stringContaining("is not sealed") });
    // Without the key a sealed record cannot be read at all.
    expect(parseCheckpoint(run(text))).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("refuses a checkpoint in another App's check run, or in one of no App, whatever it says", () => {
    const key = deriveCheckpointKey("webhook secret");
    const { text } = formatCheckpoint(checkpoint(), key);
    expect(parseCheckpoint(run(text), { key, appId: APP })).toMatchObject({ ok: true });
    expect(parseCheckpoint(run(text, { id: APP + 1 }), { key, appId: APP })).toMatchObject({ ok: false, reason: "foreign", message: expect.stringContaining(`App ${APP + 1}, not of this App (${APP})`) });
    expect(parseCheckpoint(run(text, null), { key, appId: APP })).toMatchObject({ ok: false, reason: "foreign" });
  });

  it("refuses damaged or missing records, and a second block", () => {
    expect(parseCheckpoint(run(undefined))).toMatchObject({ ok: false, reason: "missing" });
    expect(parseCheckpoint(run("| step | uses | phase |"))).toMatchObject({ ok: false, reason: "missing" });
    expect(parseCheckpoint(run("<!-- stagecoach:checkpoint {not json -->"))).toMatchObject({ ok: false, reason: "invalid", message: expect.stringContaining("is not JSON") });
    expect(parseCheckpoint(run(`<!-- stagecoach:checkpoint ${JSON.stringify({ ...checkpoint(), configSha: "main" })} -->`))).toMatchObject({ ok: false, reason: "invalid", message: expect.stringContaining("configSha: a 40-character commit SHA") });
    expect(parseCheckpoint(run(`<!-- stagecoach:checkpoint ${JSON.stringify({ ...checkpoint(), state: { phase: "Running" } })} -->`))).toMatchObject({ ok: false, reason: "invalid" });
    const { text } = formatCheckpoint(checkpoint());
    expect(parseCheckpoint(run(`${text}\n${text}`))).toMatchObject({ ok: false, reason: "tampered", message: expect.stringContaining("2 `stagecoach:checkpoint` blocks") });
  });

  it("reads a checkpoint sealed by the code before the records moved to src/records", () => {
    const text = readFileSync(new URL("../fixtures/records/promotion-checkpoint.txt", import.meta.url), "utf8");
    const read = parseCheckpoint(run(text), { key: deriveCheckpointKey("webhook secret"), appId: APP });
    expect(read).toMatchObject({ ok: true, value: { promotionId: "guestbook/dev/aaaaaaaaaaaa", configSha: "c".repeat(40), freight: { alias: "brave-otter" } } });
    expect(read.ok && read.value.state).toMatchObject({ currentStep: 1, waiting: true, workspace: { kind: "github-api" }, steps: [{ alias: "push", outputs: { commit: "e".repeat(40) } }, { alias: "wait", phase: "Running" }] });
  });
});

import path from "node:path";
import { parseArgs } from "node:util";
import { systemClock } from "../../clock.js";
import { createLogger } from "../../log.js";
import { buildLocalRequest, parseImageFlag } from "../../promotion/local/build-local-request.js";
import { readStagePipeline } from "../../promotion/local/read-stage-pipeline.js";
import { runPromotion } from "../../promotion/run-promotion.js";
import { createMemoryStateStore } from "../../promotion/state-store.js";
import { createLocalGitWorkspaceFactory } from "../../promotion/workspace/local-git-workspace.js";
import type { CliCommand } from "../command.js";

const USAGE = [
  "Usage: stagecoach promote --config PATH --stage NAME --image REPO:TAG [--map REPO_URL=LOCAL_DIR]... [--skip STEP]...",
  "",
  "Runs one stage's promotion steps on your machine against local git repositories, prints each",
  "step's phase and outputs, and leaves the resulting commits and branches in those repositories.",
  "",
  "  --config PATH            Kargo manifests (a file or a directory: Stage, PromotionTask, Project)",
  "                           or a stagecoach.yml with a stages: list",
  "  --stage NAME             the stage to promote into",
  "  --image REPO:TAG         an image of the freight (repeatable; REPO@sha256:... for a digest)",
  "  --map REPO_URL=DIR       use the git repository in DIR wherever the steps name REPO_URL (repeatable);",
  "                           pushing to a branch checked out in DIR is refused by git: use a bare clone",
  "  --skip STEP              leave out every step that uses STEP, e.g. git-open-pr (repeatable)",
  "",
  "Example:",
  "  stagecoach promote --config kargo/ --stage prod --image ghcr.io/acme/shop:1.4.0 \\",
  "    --map https://github.com/acme/gitops.git=./gitops.git --skip git-open-pr --skip git-wait-for-pr",
].join("\n");

export const promoteCommand: CliCommand = {
  summary: "run a stage's promotion steps locally against git repositories on this machine",
  usage: USAGE,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        config: { type: "string" },
        stage: { type: "string" },
        image: { type: "string", multiple: true },
        map: { type: "string", multiple: true },
        skip: { type: "string", multiple: true },
      },
      strict: true,
    });
    if (!values.config || !values.stage) {
      io.err(`stagecoach promote: --config and --stage are required\n\n${USAGE}`);
      return 2;
    }
    const images = (values.image ?? []).map(parseImageFlag);
    const remotes = parseMaps(values.map ?? []);
    const pipeline = await readStagePipeline(values.config, values.stage);
    const { request, skipped } = buildLocalRequest(pipeline, images, values.skip ?? []);
    io.out(`Promoting freight ${request.freight[0]?.name.slice(0, 12)} (${(values.image ?? []).join(", ") || "no images"}) into stage ${request.stage}`);
    for (const label of skipped) io.out(`  Skipped    ${label} — left out by --skip`);
    const state = await runPromotion({
      request,
      store: createMemoryStateStore(),
      workspaces: createLocalGitWorkspaceFactory({ clock: systemClock, resolveRemote: (url) => remotes.get(normalise(url)) ?? url }),
      services: { committer: { name: "Stagecoach (local)", email: "stagecoach@localhost" } },
      clock: systemClock,
      log: createLogger({ level: "silent" }),
      onStep: (record) => {
        const outputs = record.outputs && Object.keys(record.outputs).length > 0 ? `  ${JSON.stringify(record.outputs)}` : "";
        io.out(`  ${record.phase.padEnd(10)} ${record.alias} (${record.uses})${outputs}`);
        if (record.message && record.phase !== "Succeeded") io.out(`             ${record.message}`);
      },
    });
    io.out(`Promotion ${state.phase}${state.message ? `: ${state.message}` : ""}`);
    return state.phase === "Succeeded" ? 0 : 1;
  },
};

function parseMaps(maps: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of maps) {
    const at = entry.lastIndexOf("=");
    if (at <= 0 || at === entry.length - 1) throw new Error(`--map ${entry}: write it as REPO_URL=LOCAL_DIR, e.g. https://github.com/acme/gitops.git=./gitops.git`);
    const target = entry.slice(at + 1);
    out.set(normalise(entry.slice(0, at)), target.includes("://") ? target : path.resolve(target));
  }
  return out;
}

function normalise(url: string): string {
  return url.replace(/\/+$/, "").replace(/\.git$/, "").toLowerCase();
}

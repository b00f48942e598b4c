import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { commandsOnPromotionPullRequest } from "../../commands/index.js";
import { promotionBaseId } from "../../pipeline/build-promotion-request.js";
import type { Freight } from "../../pipeline/types.js";
import { compilePromotionTemplates } from "../../render/compile-promotion-templates.js";
import { renderPromotionPullRequest, withMetadata } from "../../render/render-promotion-pull-request.js";
import type { CliCommand } from "../command.js";

const USAGE = [
  "Usage: stagecoach preview-pr [--stage NAME] [--title FILE] [--body FILE]",
  "",
  "Renders a promotion pull request (title, labels, branch, body) for example freight, with the",
  "default templates or your own, so a template can be tried before it goes into the config",
  "(`github.title` / `github.body` of a stage). Exits 1 naming the file, line and column of a template error.",
  "",
  "  --stage NAME   the stage to promote to (default: prod)",
  "  --title FILE   a Handlebars template for the title",
  "  --body FILE    a Handlebars template for the body",
  "",
  "Example:",
  "  printf 'Ship {{alias}} to {{stage}}' > title.hbs && stagecoach preview-pr --title title.hbs",
].join("\n");

/** Example freight: a new image tag and config commit, already verified in dev and uat. */
const EXAMPLE_FREIGHT: Freight = {
  name: "3f2a9c1d5e7b9f0a1c3e5d7f9b1a3c5e7d9f1b3a",
  alias: "wiggly-tuatara",
  origin: { kind: "Warehouse", name: "app" },
  images: [{ repoURL: "docker.io/acme/shop", tag: "1.5.0", digest: `sha256:${"5e".repeat(32)}` }],
  commits: [{ repoURL: "https://github.com/acme/shop-config.git", id: "0123456789abcdef0123456789abcdef01234567", branch: "main" }],
  createdAt: "2026-11-01T09:00:00Z",
  status: {
    verifiedIn: { dev: { verifiedAt: "2026-11-01T09:20:00Z" }, uat: { verifiedAt: "2026-11-01T11:05:00Z" } },
  },
};
const EXAMPLE_CURRENT: Freight = {
  ...EXAMPLE_FREIGHT,
  name: "9b1a3c5e7d9f1b3a3f2a9c1d5e7b9f0a1c3e5d7f",
  alias: "brave-okapi",
  images: [{ repoURL: "docker.io/acme/shop", tag: "1.4.2", digest: `sha256:${"4d".repeat(32)}` }],
  status: {},
};

export const previewPrCommand: CliCommand = {
  summary: "render a promotion pull request for example freight, with your own templates if given",
  usage: USAGE,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { stage: { type: "string", default: "prod" }, title: { type: "string" }, body: { type: "string" } },
    });
    const read = (path: string | undefined) => (path === undefined ? undefined : readFile(path, "utf8"));
    const [title, body] = await Promise.all([read(values.title), read(values.body)]);
    const compiled = compilePromotionTemplates({ title, body }, { title: values.title ?? "default title", body: values.body ?? "default body" });
    if (!compiled.ok) {
      for (const message of compiled.messages) io.err(message);
      return 1;
    }
    const pr = renderPromotionPullRequest(
      {
        project: "shop",
        stage: values.stage,
        promotionId: promotionBaseId("shop", values.stage, EXAMPLE_FREIGHT.name),
        freight: EXAMPLE_FREIGHT,
        current: EXAMPLE_CURRENT,
        requiredApprovals: 1,
        repository: "acme/shop-config",
        commands: commandsOnPromotionPullRequest(values.stage),
      },
      compiled.templates,
    );
    // The App signs the block with its own key when it opens the pull request; a preview shows it unsigned.
    io.out(`title:  ${pr.title}\nlabels: ${pr.labels.join(", ")}\nbranch: ${pr.branch}\n\n${withMetadata(pr.body, pr.metadata)}`);
    return 0;
  },
};

import { freightRef } from "../github/freight-records.js";
import type { OpenPromotionLabel, RepositoryStatus } from "./read-repository-status.js";

/** `stagecoach status` as text: the stages table, the freight table, then what the marks mean. */
export function renderStatus(status: RepositoryStatus, options: { appId?: number } = {}): string {
  const config = status.config.source === "last-good" ? `config ${status.config.commit.slice(0, 7)} (the one the App runs)` : `config from ${status.config.branch} (the App has adopted none yet)`;
  const stages = table(
    ["STAGE", "FREIGHT", "VERSIONS", "VERIFIED", "APPROVED", "OPEN PROMOTION"],
    status.stages.map((stage) => [
      stage.name,
      stage.running ? `${stage.running.alias ?? stage.running.freight.slice(0, 7)} (${stage.running.freight.slice(0, 7)})` : "-",
      stage.running?.versions.join(", ") || "-",
      stage.running ? mark(stage.verified) : "-",
      stage.running ? mark(stage.approved) : "-",
      stage.openPromotions.map(describePull).join(", ") || "-",
    ]),
  );
  const freight = table(
    ["ALIAS", "ID", "CREATED", "VERSIONS", "VERIFIED IN", "APPROVED FOR", "RUNNING IN"],
    status.freight.map((f) => [f.alias, f.id.slice(0, 7), f.createdAt, f.versions.join(", ") || "-", f.verifiedIn.join(", ") || "-", f.approvedFor.join(", ") || "-", f.runningIn.join(", ") || "-"]),
  );
  const holds = status.stages.filter((s) => s.hold).map((s) => `Auto-promotion is held on ${s.name} since ${s.hold!.since}: ${s.hold!.reason}`);
  const anyPull = status.stages.some((s) => s.openPromotions.length > 0);
  return [
    `${status.repository} · project ${status.project} · ${config}`,
    "",
    stages,
    ...(holds.length ? ["", ...holds] : []),
    "",
    status.freight.length ? `Freight, newest first:\n\n${freight}` : `No freight recorded yet (refs/${freightRef(status.project)} does not exist).`,
    "",
    ...(anyPull ? ["Open promotions are pull requests from stagecoach/promotion/… branches, read without the App's key: (unverified) labels, not proof."] : []),
    options.appId === undefined
      ? "Verified and approved count check runs of any App with Stagecoach's names; give --app-id to count only your App's."
      : `Verified and approved count only check runs of App ${options.appId}.`,
  ].join("\n");
}

function describePull(pull: OpenPromotionLabel): string {
  return `#${pull.number} ${pull.alias ?? pull.freight?.slice(0, 7) ?? "(no metadata)"} (unverified, by ${pull.author})`;
}

function mark(value: boolean): string {
  return value ? "yes" : "no";
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  return [header, ...rows].map(line).join("\n");
}

import type { CliCommand } from "./command.js";

export function renderHelp(commands: Record<string, CliCommand>): string {
  const names = Object.keys(commands).sort();
  const width = Math.max(...names.map((n) => n.length), 8);
  const lines = [
    "stagecoach — GitOps promotions as a GitHub App (Kargo's model, driven by pull requests)",
    "",
    "Usage: stagecoach <command> [options]",
    "",
    "Commands:",
    ...names.map((n) => `  ${n.padEnd(width)}  ${commands[n]!.summary}`),
    "",
    "Run `stagecoach <command> --help` for a command's options.",
    "The GitHub App itself starts with `npm start` (see README.md).",
  ];
  return lines.join("\n");
}

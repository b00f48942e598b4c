import { COMMANDS } from "./commands/index.js";
import { renderHelp } from "./help.js";

/**
 * The `stagecoach` command. Returns the process exit code instead of exiting, so tests can call it.
 * Output goes through the `io` argument for the same reason.
 */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(renderHelp(COMMANDS));
    return 0;
  }
  if (name === "--version" || name === "-v") {
    const { readFile } = await import("node:fs/promises");
    const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    io.out(pkg.version);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`stagecoach: unknown command "${name}". Run \`stagecoach --help\` to see the commands.`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.err(`stagecoach ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/**
 * The App as its own process, for the fault suite: the test kills it with SIGKILL at chosen points
 * and starts it again. Settings come as JSON in FAULT_APP_SETTINGS (port fixed by the test, so the
 * sandbox's webhook URL stays right across restarts); log lines go to stderr as JSON.
 */
import { startServer } from "../../../src/server.js";
import { createLogger } from "../../../src/log.js";
import type { Settings } from "../../../src/settings.js";

const settings = JSON.parse(process.env.FAULT_APP_SETTINGS ?? "{}") as Settings;
const log = createLogger({ level: process.env.FAULT_LOG_LEVEL ?? "info" });
const server = await startServer({ settings, log, queuePrefix: process.env.FAULT_QUEUE_PREFIX ?? "faults" });
process.stdout.write(`${JSON.stringify({ ready: server.url })}\n`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));

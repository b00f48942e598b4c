import type { ApplicationFunction } from "probot";
import type { HandlerDeps } from "./handlers/types.js";
import { onInstallationChange } from "./handlers/installation.js";
import { onPing } from "./handlers/ping.js";

/** The Probot app: wires events to handlers and does nothing else. */
export function createApp(deps: HandlerDeps): ApplicationFunction {
  return (app) => {
    app.on("ping", onPing());
    app.on(["installation", "installation_repositories"], onInstallationChange(deps));
  };
}

import type { RegistryWebhookProvider } from "../types.js";
import { acr } from "./acr.js";
import { artifactory } from "./artifactory.js";
import { distribution } from "./distribution.js";
import { dockerhub } from "./dockerhub.js";
import { generic } from "./generic.js";
import { harbor } from "./harbor.js";
import { quay } from "./quay.js";

/** The receivers at /api/registry-webhooks/<name>: adding a registry is one file and one row. */
export const REGISTRY_WEBHOOK_PROVIDERS: Readonly<Record<string, RegistryWebhookProvider>> = {
  dockerhub,
  quay,
  harbor,
  distribution,
  artifactory,
  acr,
  generic,
};

import { z } from "zod";
import type { JsonObject } from "../expressions/index.js";
import { defineStep } from "./step.js";

/** Publishes its (evaluated) config as outputs, to name values for later steps. */
export const composeOutput = defineStep(z.record(z.string(), z.unknown()), async (config) => ({ phase: "Succeeded", outputs: config as JsonObject }));

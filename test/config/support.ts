import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic, type Diagnostic } from "../../src/config/index.js";

export const FIXTURES = new URL("../fixtures/config/", import.meta.url).pathname;

export function fixture(relative: string): { path: string; text: string } {
  return { path: relative, text: readFileSync(join(FIXTURES, relative), "utf8") };
}

export function fixtureDir(relative: string): { path: string; text: string }[] {
  return readdirSync(join(FIXTURES, relative)).sort().map((name) => fixture(`${relative}/${name}`));
}

export const lines = (diagnostics: Diagnostic[]) => diagnostics.map(formatDiagnostic);

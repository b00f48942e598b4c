import { readFileSync } from "node:fs";

/** A file under test/fixtures/terraform/plans, made by the real terraform (see that folder's README). */
export function planFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/terraform/plans/${name}`, import.meta.url), "utf8");
}

export const planJson = (name: string): unknown => JSON.parse(planFixture(name)) as unknown;

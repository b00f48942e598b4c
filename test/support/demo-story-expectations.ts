import { expect } from "vitest";

/** What the demo's story must show, whether `npm run demo` prints it or a test plays it on real components. */
export function expectDemoStory(stdout: string): void {
  expect(stdout).toMatch(/check run stagecoach\/config: success — guestbook: 1 warehouses, 3 stages/);
  expect(stdout).toMatch(/alice pushes a typo → stagecoach\/config: failure, annotated \.github\/stagecoach\.yml:\d+:5.*from: "devv" is neither a warehouse nor a stage/);
  expect(stdout).toMatch(/CI pushes 127\.0\.0\.1:\d+\/acme\/app:1\.1\.0 \(sha256:[0-9a-f]{12}…\); the registry's push notification reaches Stagecoach/);
  const alias = /freight ([a-z]+-[a-z]+) \([0-9a-f]{7}\) recorded as commit [0-9a-f]{7} on refs\/stagecoach\/freight\/guestbook/.exec(stdout)?.[1];
  expect(alias).toBeDefined();
  expect(stdout).toMatch(new RegExp(`dev auto-promotes it: pull request #\\d+ "Promote ${alias} to dev" \\(labels stage:dev, freight:${alias}, warehouse:app\\), env/dev newTag: 1\\.1\\.0; stagecoach/approval: pending \\(0 of 1 approvals\\)`));
  expect(stdout).toMatch(/carol approves #\d+ → stagecoach\/approval: success \(1 of 1 approvals \(carol\)\); autoMerge → merged by stagecoach\[bot\]/);
  for (const stage of ["dev", "uat", "prod"]) {
    expect(stdout).toMatch(new RegExp(`promotion Succeeded; Argo CD: argocd/guestbook-${stage}: Synced and Healthy; GitHub deployment to ${stage} at [0-9a-f]{7}`));
    expect(stdout).toMatch(new RegExp(`verification passed: .* → check run stagecoach/verify ${stage} on the freight; the deployment turns success`));
  }
  expect(stdout).toMatch(/verification passed: probe http:\/\/127\.0\.0\.1:\d+\/healthz: answered 200 with "ok"/);
  expect(stdout).toMatch(/verification passed: workflow `smoke\.yml`: success/);
  expect(stdout).toContain(`alice comments "/promote uat" → @alice Promoting **${alias}** to **uat**. Its pull request follows.`);
  expect(stdout).toContain('bob (read access) comments "/promote prod" → @bob cannot promote to prod: it needs write access');
  expect(stdout).toContain('alice comments "/promote prod" → @alice cannot promote to prod: only @carol may.');
  expect(stdout).toContain(`carol comments "/promote prod" → @carol Promoting **${alias}** to **prod**.`);
  expect(stdout).toMatch(/labels stage:prod, freight:[a-z-]+, warehouse:app, production\); stagecoach\/approval: pending/);
  expect(stdout).toMatch(new RegExp(`dashboard issue #\\d+ "Stagecoach: promotion dashboard \\(guestbook\\)" shows ${alias} running in dev, uat, prod`));
  expect(stdout).toContain("everywhere: dev 1.1.0, uat 1.1.0, prod 1.1.0");
  expect(stdout).toMatch(/signed webhook deliveries, all answered: true/);
}

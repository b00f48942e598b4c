/** `npm run bench`: every benchmark in turn (each prints its own figures). */
const BENCHES = ["webhook-ack.ts", "validate-config.ts", "expressions.ts", "hostile-text.ts", "promotion-api-vs-clone.ts", "argocd.ts", "pull-requests.ts", "discovery.ts", "push-to-freight.ts", "push-to-pr.ts"];

for (const bench of BENCHES) {
  console.log(`\n== bench/${bench}`);
  await import(`./${bench}`);
}

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readAnalysisTemplate } from "../../../src/verification/analysis/index.js";

const document = (metric: string, args = "") =>
  parse(`
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: t }
spec:
${args}
  metrics:
${metric}
`);

const problems = (metric: string, args = "") => readAnalysisTemplate(document(metric, args)).problems.map((p) => `${p.path.join(".")} ${p.message}`);

describe("readAnalysisTemplate", () => {
  it("reads Argo Rollouts' own example", () => {
    const reading = readAnalysisTemplate(
      document(
        `    - name: success-rate
      interval: 5m
      successCondition: result[0] >= 0.95
      failureLimit: 3
      provider:
        prometheus:
          address: http://prometheus.example.com:9090
          timeout: 40
          headers: [{ key: X-Scope-OrgID, value: tenant_a }]
          query: sum(irate(istio_requests_total{destination_service=~"{{args.service-name}}"}[5m]))`,
        `  args:
    - name: service-name
    - name: api-token
      valueFrom: { secretKeyRef: { name: token-secret, key: apiToken } }`,
      ),
    );
    expect(reading.problems).toEqual([]);
    expect(reading.template).toMatchObject({
      kind: "AnalysisTemplate",
      name: "t",
      args: [{ name: "service-name" }, { name: "api-token", valueFrom: { secretKeyRef: { name: "token-secret", key: "apiToken" } } }],
      metrics: [{ name: "success-rate", interval: "5m", failureLimit: 3, provider: { prometheus: { timeout: 40 } } }],
    });
  });

  it("refuses providers that need a cluster, naming the field and the fix", () => {
    expect(problems("    - name: m\n      provider: { job: { spec: {} } }")).toEqual([
      "spec.metrics.0.provider.job spec.metrics[0].provider.job: provider.job is not supported: it runs a Kubernetes Job in the cluster, and Stagecoach runs outside any cluster; run the check as a GitHub Actions workflow (github.verify.workflow) or expose its result over HTTP and use provider.web",
    ]);
    expect(problems("    - name: m\n      provider: { kayenta: {} }")[0]).toContain("provider.kayenta is not supported");
    expect(problems("    - name: m\n      provider: { datadog: { query: x } }")[0]).toContain("reads its API and application keys from a Kubernetes Secret; call Datadog's query API with provider.web");
    expect(problems("    - name: m\n      provider: { promethues: { query: x } }")[0]).toContain("provider.promethues is not a metric provider; use prometheus or web");
    expect(problems("    - name: m\n      provider: {}")[0]).toContain("name a provider");
    expect(problems("    - name: m\n      provider: { prometheus: { query: x }, web: { url: x } }")[0]).toContain("one provider per metric");
  });

  it("refuses Kubernetes-only args and authentication it cannot do", () => {
    expect(problems("    - name: m\n      provider: { web: { url: x } }", "  args: [{ name: env, valueFrom: { fieldRef: { fieldPath: metadata.labels.env } } }]")[0]).toContain(
      "valueFrom.fieldRef reads a Rollout object in the cluster",
    );
    expect(problems("    - name: m\n      provider: { prometheus: { query: x, authentication: { sigv4: { region: eu-west-1 } } } }")[0]).toContain("aws-sigv4-proxy");
    expect(problems("    - name: m\n      provider: { web: { url: x, authentication: { oauth2: { tokenUrl: t } } } }")[0]).toContain("credentials[].bearerToken");
  });

  it("refuses mistakes at their field", () => {
    expect(problems("    - name: m\n      interval: 5 minutes\n      provider: { web: { url: x } }")[0]).toMatch(/^spec\.metrics\.0\.interval .*is not a duration/);
    expect(problems("    - name: m\n      count: three\n      provider: { web: { url: x } }")[0]).toContain('use a whole number, or "{{args.name}}"');
    expect(problems("    - name: m\n      sucessCondition: result\n      provider: { web: { url: x } }")[0]).toContain('unknown field "sucessCondition"');
    expect(problems("    - name: m\n      provider: { web: { url: x, body: hi } }")[0]).toContain("a body is sent only with method POST or PUT");
    expect(problems("    - name: m\n      provider: { web: { url: x, jsonPath: '{$..ok}' } }")[0]).toContain("recursion ..,");
    expect(problems("    - name: m\n      provider: { web: { url: x, jsonPath: '$.ok' } }")[0]).toContain("must be in braces, e.g. {$.data.ok}");
    expect(problems("    - name: m\n      provider: { web: { url: x } }\n    - name: m\n      provider: { web: { url: y } }")[0]).toContain('two metrics are named "m"');
    expect(readAnalysisTemplate({ apiVersion: "argoproj.io/v1", kind: "AnalysisTemplate", metadata: { name: "t" }, spec: { metrics: [] } }).problems[0]?.message).toContain("argoproj.io/v1alpha1");
  });

  it("keeps a hostile template within its budgets", () => {
    const many = Array.from({ length: 51 }, (_, i) => `    - { name: m${i}, provider: { web: { url: x } } }`).join("\n");
    expect(problems(many)[0]).toContain("more than 50 metrics");
    expect(problems(`    - name: m\n      provider: { prometheus: { query: "${"x".repeat(20_001)}" } }`)[0]).toContain("longer than 20000 characters");
    expect(problems("    - name: m\n      provider: { web: { url: x, timeoutSeconds: 86400 } }")[0]).toContain("at most 300 seconds");
  });
});

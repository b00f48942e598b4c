/**
 * Argo Rollouts' metric providers that Stagecoach does not run, and why. Stagecoach has no
 * Kubernetes cluster of its own to create Jobs in or read Secrets from, so a provider that needs
 * one cannot work; the others keep state or credentials where only the Rollouts controller can
 * reach them. Each reason ends with the fix.
 */
export const REFUSED_PROVIDERS: Readonly<Record<string, string>> = {
  job: "runs a Kubernetes Job in the cluster, and Stagecoach runs outside any cluster; run the check as a GitHub Actions workflow (github.verify.workflow) or expose its result over HTTP and use provider.web",
  kayenta: "Kayenta judges a canary over several reconciles of the Rollouts controller against Kayenta's own storage accounts; query the metrics directly with provider.prometheus or provider.web",
  datadog: "reads its API and application keys from a Kubernetes Secret; call Datadog's query API with provider.web, passing the keys as headers from args with valueFrom.secretKeyRef (the operator's secrets)",
  newRelic: "reads its account profile from a Kubernetes Secret; call New Relic's NerdGraph API with provider.web and the key as a header from an arg with valueFrom.secretKeyRef",
  influxdb: "reads its profile from a Kubernetes Secret; query InfluxDB's HTTP API with provider.web",
  cloudWatch: "signs requests with the AWS credentials of the controller's pod; expose the metric through Prometheus (e.g. the CloudWatch exporter) and use provider.prometheus",
  wavefront: "is not supported; query Wavefront's HTTP API with provider.web",
  graphite: "is not supported; query Graphite's render API with provider.web (format=json)",
  skywalking: "is not supported; query SkyWalking's GraphQL API with provider.web",
  plugin: "loads a metric plugin binary into the Rollouts controller; Stagecoach runs no plugins: use provider.prometheus or provider.web",
};

/** The providers Stagecoach runs, named in refusals. */
export const SUPPORTED_PROVIDERS = ["prometheus", "web"] as const;

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCredentials } from "../../src/warehouse/read-credentials.js";

describe("readCredentials", () => {
  const yaml = [
    "- repository: ghcr.io/acme",
    "  username: bot",
    "  password: s3cret-ghcr",
    "- repository: ghcr.io/acme/special",
    "  token: s3cret-special",
    "- repository: https://charts.example.com/",
    "  username: charts",
    "  password: s3cret-charts",
    "- repository: docker.io/acme",
    "  username: hub",
    "  password: s3cret-hub",
  ].join("\n");

  it("finds the longest matching prefix, at a path boundary, whatever the scheme", () => {
    const { lookup, count, problems } = readCredentials({ STAGECOACH_CREDENTIALS: yaml });
    expect(problems).toEqual([]);
    expect(count).toBe(4);
    expect(lookup("ghcr.io/acme/app")).toEqual({ username: "bot", password: "s3cret-ghcr" });
    expect(lookup("ghcr.io/acme/special/app")).toEqual({ token: "s3cret-special" });
    expect(lookup("ghcr.io/acmeevil/app")).toBeUndefined();
    expect(lookup("oci://GHCR.io/acme/charts/web")).toEqual({ username: "bot", password: "s3cret-ghcr" });
    expect(lookup("https://charts.example.com/stable")).toEqual({ username: "charts", password: "s3cret-charts" });
    expect(lookup("registry-1.docker.io/acme/app")).toEqual({ username: "hub", password: "s3cret-hub" });
    expect(lookup("quay.io/acme/app")).toBeUndefined();
  });

  it("reads the mounted file STAGECOACH_CREDENTIALS_FILE names", () => {
    const dir = mkdtempSync(join(tmpdir(), "creds-"));
    writeFileSync(join(dir, "creds.json"), JSON.stringify([{ repository: "quay.io/acme", token: "t0ken-value" }]));
    expect(readCredentials({ STAGECOACH_CREDENTIALS_FILE: join(dir, "creds.json") }).lookup("quay.io/acme/app")).toEqual({ token: "t0ken-value" });
    expect(readCredentials({ STAGECOACH_CREDENTIALS_FILE: join(dir, "missing.yml") }).problems[0]).toMatch(/cannot be read \(ENOENT\)/);
  });

  it("names broken entries without echoing any secret", () => {
    const { problems, lookup } = readCredentials({
      STAGECOACH_CREDENTIALS: "- repository: ghcr.io/acme\n  password: leaked-if-echoed\n- repository: quay.io/acme\n  token: fine-token\n",
    });
    expect(problems).toEqual(["STAGECOACH_CREDENTIALS[0] has fields (repository, password); each entry needs repository plus either username and password, or token."]);
    expect(problems.join("\n")).not.toContain("leaked-if-echoed");
    expect(lookup("quay.io/acme/x")).toEqual({ token: "fine-token" });
  });

  it("refuses text that is not a list, or not YAML, or uses aliases", () => {
    expect(readCredentials({ STAGECOACH_CREDENTIALS: "repository: x" }).problems[0]).toMatch(/must be a list/);
    expect(readCredentials({ STAGECOACH_CREDENTIALS: "- [unclosed" }).problems[0]).toMatch(/is not YAML or JSON \(line 1/);
    expect(readCredentials({ STAGECOACH_CREDENTIALS: "- &a {repository: x, token: y}\n- *a\n" }).problems[0]).toMatch(/is not YAML or JSON/);
  });

  it("has no credentials and no problems when nothing is configured", () => {
    const reading = readCredentials({});
    expect(reading).toMatchObject({ count: 0, problems: [] });
    expect(reading.lookup("ghcr.io/acme/app")).toBeUndefined();
  });
});

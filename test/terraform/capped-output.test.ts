import { describe, expect, it } from "vitest";
import { secretForms } from "../../src/terraform/redact-secrets.js";
import { CappedOutput } from "../../src/terraform/run-terraform.js";

const forms = secretForms(["hunter2-secret"]);

function capture(cap: number, ...chunks: string[]): CappedOutput {
  const output = new CappedOutput(cap);
  for (const chunk of chunks) output.push(Buffer.from(chunk));
  return output;
}

describe("CappedOutput", () => {
  it("hands back output within the cap whole, and redacted as text", () => {
    const output = capture(100, "token=hunter2-", "secret ok");
    expect(output.whole()).toBe("token=hunter2-secret ok");
    expect(output.text(forms)).toBe("token=*** ok");
  });

  it("has no whole output past the cap, but keeps all of it as text while nothing was dropped", () => {
    const output = capture(10, "0123456789", "abc");
    expect(output.whole()).toBeUndefined();
    expect(output.text(forms)).toBe("0123456789abc");
  });

  it("keeps the head and the last 64 KiB, marking the cut, with no piece of a secret cut in two", () => {
    const head = `${"h".repeat(90)}hunter2-secret`;
    const output = capture(96, head, "m".repeat(100_000), "hunter2-secret", "t".repeat(65_536 - 7));
    const text = output.text(forms);
    expect(text).not.toMatch(/hunte|unter|secre|ecret|-sec/);
    const [kept, marker, rest] = text.split("\n") as [string, string, string];
    expect(kept).toBe("h".repeat(96 - 13));
    expect(marker).toMatch(/^\[… \d+ bytes of output not kept …\]$/);
    expect(rest).toBe("t".repeat(65_536 - 7 - 6));
  });
});

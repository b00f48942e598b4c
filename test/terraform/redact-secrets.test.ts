import { describe, expect, it } from "vitest";
import { redactText, redactValue, secretForms } from "../../src/terraform/redact-secrets.js";

describe("redaction", () => {
  it("replaces a secret as it is and as JSON or HCL escape it, longest first", () => {
    const forms = secretForms(['pa"ss\\word', "pa", ""]);
    expect(forms).toEqual(['pa\\"ss\\\\word', 'pa"ss\\word', "pa"]);
    expect(redactText('raw pa"ss\\word, escaped "pa\\"ss\\\\word", short pa', forms)).toBe('raw ***, escaped "***", short ***');
  });

  it("replaces each line of a multi-line secret", () => {
    const key = "-----BEGIN KEY-----\nMIIEvQIBADANBgkq\n-----END KEY-----";
    expect(redactText("line MIIEvQIBADANBgkq shown alone", secretForms([key]))).toBe("line *** shown alone");
  });

  it("redacts every string and key of a value, and numbers that spell a secret", () => {
    const forms = secretForms(["hunter2", "1234"]);
    expect(redactValue({ url: "https://x/?t=hunter2", hunter2: [1234, 12345, true, null], nested: { list: ["a hunter2 b"] } }, forms)).toEqual({
      url: "https://x/?t=***",
      "***": ["***", 12345, true, null],
      nested: { list: ["a *** b"] },
    });
  });
});

import { describe, expect, it } from "vitest";
import { groupedSecret, looksLikeRecoveryCode, looksLikeTotpCode, recoveryCodesText, secondFactorProblem } from "./codes";

describe("second-factor codes", () => {
  it.each([
    ["123456", true],
    ["123 456", true],
    [" 123456 ", true],
    ["12345", false],
    ["1234567", false],
    ["12a456", false],
    ["", false],
  ])("a TOTP code %j looks valid: %s", (code, valid) => {
    expect(looksLikeTotpCode(code)).toBe(valid);
  });

  it("takes recovery codes of the server's lengths", () => {
    expect(looksLikeRecoveryCode("abcd-efgh-ij")).toBe(true);
    expect(looksLikeRecoveryCode("  short  ")).toBe(false);
    expect(looksLikeRecoveryCode("x".repeat(33))).toBe(false);
  });

  it("puts the server's `code` error beside the recovery code field when that one is shown", () => {
    const problem = { type: "https://errors.mpp.example/invalid-second-factor", title: "Invalid code", status: 422, errors: [{ field: "code", code: "second_factor_wrong" as const, params: {}, message: "wrong, or used already" }] };
    expect(secondFactorProblem(problem, "recovery_code").errors?.[0]?.field).toBe("recovery_code");
    expect(secondFactorProblem(problem, "code")).toBe(problem);
  });

  it("writes the recovery codes one a line under their heading", () => {
    expect(recoveryCodesText(["aaaa-bbbb", "cccc-dddd"], "Codes")).toBe("Codes\n\naaaa-bbbb\ncccc-dddd\n");
  });

  it("groups the manual secret by four", () => {
    expect(groupedSecret("JBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP");
    expect(groupedSecret("ABCDEF")).toBe("ABCD EF");
  });
});

import { describe, expect, it } from "vitest";
import { isLinkProblem } from "../reset/ResetPasswordPage";
import { linkProblemKey } from "./VerifyEmailPage";

const problem = (slug: string, status = 400) => ({ type: `https://errors.mpp.example/${slug}`, title: slug, status });

describe("a refused link", () => {
  it("tells an expired link from a used or replaced one", () => {
    expect(linkProblemKey(problem("link-expired"))).toBe("verify.expired");
    expect(linkProblemKey(problem("link-invalid"))).toBe("verify.invalid");
    expect(linkProblemKey(problem("unavailable", 503))).toBe("verify.failed");
  });

  it("is a problem of the link, not of the new password, on the reset page", () => {
    expect(isLinkProblem(problem("link-expired"))).toBe(true);
    expect(isLinkProblem(problem("link-invalid"))).toBe(true);
    expect(isLinkProblem(problem("validation-failed", 422))).toBe(false);
    expect(isLinkProblem(null)).toBe(false);
  });
});

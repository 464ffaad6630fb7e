import { describe, expect, it } from "vitest";
import { fieldErrors, problemSlug, toProblem, unplacedErrors } from "./problem";
import type { Problem } from "./types";

const validation: Problem = {
  type: "https://errors.mpp.example/validation-failed",
  title: "Validation failed",
  status: 422,
  detail: "Invalid fields: logo, name",
  errors: [
    { field: "name", code: "weighted_length", params: { min: 3, max: 30, length: 2 }, message: "must be 3 to 30 characters long" },
    { field: "logo", code: "logo_not_square", params: { width: 10, height: 20 }, message: "must be square, got 10x20" },
    { field: "body", code: "model_type", params: {}, message: "Input should be an object" },
  ],
};

describe("problems become messages beside their fields", () => {
  it("places each field's message", () => {
    expect(fieldErrors(validation, ["name", "logo"])).toEqual({
      name: "must be 3 to 30 characters long",
      logo: "must be square, got 10x20",
    });
  });

  it("says each field's error as `describe` words it (by its code, in the user's language)", () => {
    expect(fieldErrors(validation, ["name", "logo"], (e) => `[${e.code}]`)).toEqual({
      name: "[weighted_length]",
      logo: "[logo_not_square]",
    });
  });

  it("keeps errors no field shows for the summary", () => {
    expect(unplacedErrors(validation, ["name", "logo"])).toEqual([validation.errors?.[2]]);
  });

  it("puts a conflict about a field next to it (409 email-taken → email)", () => {
    const taken: Problem = { type: "https://errors.mpp.example/email-taken", title: "Email taken", status: 409, detail: "An account with this email already exists" };
    expect(problemSlug(taken)).toBe("email-taken");
    expect(fieldErrors(taken, ["email", "password"])).toEqual({ email: "An account with this email already exists" });
  });

  it("makes a problem of a response that is not problem+json", () => {
    const problem = toProblem("<html>Bad Gateway</html>", new Response(null, { status: 502, statusText: "Bad Gateway" }));
    expect(problem).toMatchObject({ status: 502, title: "Bad Gateway" });
  });
});

import { describe, expect, it } from "vitest";
import type { Application, NextStep } from "./api/types";
import { acceptInvitationPath, homePath, nextStepPath, PATHS, prefilledEmail, safeNext, withNext } from "./routes";

type App = Pick<Application, "status" | "step">;
const draft = (step: App["step"]): App => ({ status: "draft", step });

describe("nextStepPath: the page next_step asks for", () => {
  it.each<[string, NextStep, App | null, string]>([
    ["a new account applies", "apply_workspace", null, PATHS.applyRole],
    ["a draft resumes at its saved step", "apply_workspace", draft("business_details"), PATHS.applyDetails],
    ["a draft at review resumes at review", "apply_workspace", draft("review"), PATHS.applyReview],
    ["a draft without a step starts at the role", "apply_workspace", draft(null), PATHS.applyRole],
    ["under review shows the status", "application_under_review", null, PATHS.applyStatus],
    ["rejected shows the status with the reason", "application_rejected", { status: "rejected", step: "review" }, PATHS.applyStatus],
    ["rejected, then a new draft: the draft", "application_rejected", draft("business_details"), PATHS.applyDetails],
    ["workspace ready opens the console", "workspace_ready", null, PATHS.console],
    ["accounts lagging behind a submission: the status", "apply_workspace", { status: "under_review", step: "review" }, PATHS.applyStatus],
    ["approved, workspace being set up: the status", "application_under_review", { status: "approved", step: "review" }, PATHS.applyStatus],
  ])("%s", (_name, nextStep, application, path) => {
    expect(nextStepPath(nextStep, application)).toBe(path);
  });
});

describe("homePath", () => {
  it("sends reviewers to the queue and admins to the delivery log", () => {
    expect(homePath({ roles: ["reviewer"] }, "apply_workspace")).toBe(PATHS.reviewQueue);
    expect(homePath({ roles: ["admin"] }, "apply_workspace")).toBe(PATHS.notifications);
  });

  it("sends merchants where next_step says", () => {
    expect(homePath({ roles: ["merchant"] }, "workspace_ready")).toBe(PATHS.console);
    expect(homePath({ roles: ["merchant"] }, "apply_workspace", null)).toBe(PATHS.applyRole);
  });
});

describe("staff without two-factor sign-in", () => {
  it("are sent to enrol before their consoles", () => {
    expect(homePath({ roles: ["reviewer"] }, "enrol_two_factor")).toBe(PATHS.security);
    expect(homePath({ roles: ["admin"] }, "enrol_two_factor")).toBe(PATHS.security);
    expect(nextStepPath("enrol_two_factor")).toBe(PATHS.security);
  });
});

describe("safeNext follows only paths of this console", () => {
  it.each([
    ["/console/w/1/members", "/console/w/1/members"],
    ["https://evil.example", null],
    ["//evil.example", null],
    ["/\\evil.example", null],
    [null, null],
  ])("%s → %s", (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});

describe("an invitation's link survives signing up or logging in", () => {
  it("keeps the token through ?next= and back", () => {
    const accept = acceptInvitationPath("a+b/c=");
    expect(accept).toBe("/invitations/accept?token=a%2Bb%2Fc%3D");
    const login = withNext(PATHS.login, accept);
    const next = new URL(login, "http://console.test").searchParams.get("next");
    expect(safeNext(next)).toBe(accept);
    expect(new URL(next!, "http://console.test").searchParams.get("token")).toBe("a+b/c=");
  });

  it("adds nothing without a target", () => {
    expect(withNext(PATHS.signup, null)).toBe(PATHS.signup);
  });
});

describe("the invited email is filled in from the history state, never the URL", () => {
  it("takes a string email and ignores anything else", () => {
    expect(prefilledEmail({ email: "wang.fang@example.com" })).toBe("wang.fang@example.com");
    expect(prefilledEmail(null)).toBe("");
    expect(prefilledEmail({ email: 42 })).toBe("");
    expect(prefilledEmail("wang.fang@example.com")).toBe("");
  });
});

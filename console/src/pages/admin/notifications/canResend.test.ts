import { describe, expect, it } from "vitest";
import { aboutLabel, canResend } from "./NotificationsPage";

describe("canResend: the server resends a failed mail once", () => {
  it.each([
    ["failed, not resent", { status: "failed", resent_as: null }, true],
    ["failed, resent already", { status: "failed", resent_as: "n-2" }, false],
    ["sent", { status: "sent", resent_as: null }, false],
    ["sending", { status: "sending", resent_as: null }, false],
  ] as const)("%s", (_name, notification, expected) => {
    expect(canResend(notification)).toBe(expected);
  });
});

describe("aboutLabel: what a mail of the log is about", () => {
  const t = (key: string) => `<${key}>`;
  it.each([
    ["an approval", { decision: "approve", kind: "review_approved", subject: "s" }, "<review.status.approved>"],
    ["a rejection", { decision: "reject", kind: "review_rejected", subject: "s" }, "<review.status.rejected>"],
    ["a verification mail", { decision: null, kind: "email_verification", subject: "s" }, "<notifications.kind.email_verification>"],
    ["a kind unknown here: its subject", { decision: null, kind: "newsletter", subject: "News" }, "News"],
    ["no subject either: its kind", { decision: null, kind: "gone", subject: null }, "gone"],
  ] as const)("%s", (_name, notification, expected) => {
    expect(aboutLabel(notification, t)).toBe(expected);
  });
});

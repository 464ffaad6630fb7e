import { describe, expect, it } from "vitest";
import { canResend } from "./NotificationsPage";

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

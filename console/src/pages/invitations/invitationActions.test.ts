import { describe, expect, it } from "vitest";
import { invitationActions } from "./InvitationsPanel";

describe("what the owner may do with an invitation", () => {
  it.each([
    ["pending", { resend: true, revoke: true }],
    ["expired", { resend: true, revoke: false }],
    ["accepted", { resend: false, revoke: false }],
    ["revoked", { resend: false, revoke: false }],
  ] as const)("%s", (status, actions) => {
    expect(invitationActions(status)).toEqual(actions);
  });
});

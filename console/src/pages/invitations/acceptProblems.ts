// What the accept page tells someone whose invitation cannot be accepted, by the problem's type:
// a headline and what to do, in their language (the server's `detail` is English).
import { problemSlug } from "../../api/problem";
import type { LinkStatus, Problem } from "../../api/types";
import type { MessageKey } from "../../i18n";

export interface AcceptProblem {
  slug: string;
  title: MessageKey;
  text: MessageKey;
  /** Signed in with another account than the invited one: offer to log out. */
  switchAccount?: boolean;
  /** Nothing to accept any more, but the console is where they belong (used, a member). */
  openConsole?: boolean;
}

const PROBLEMS: Record<string, Omit<AcceptProblem, "slug">> = {
  "invitation-not-found": { title: "invite.accept.problem.not_found", text: "invite.accept.problem.not_found_text" },
  "invitation-expired": { title: "invite.accept.problem.expired", text: "invite.accept.problem.expired_text" },
  "invitation-revoked": { title: "invite.accept.problem.revoked", text: "invite.accept.problem.revoked_text" },
  "invitation-link-replaced": { title: "invite.accept.problem.replaced", text: "invite.accept.problem.replaced_text" },
  "invitation-already-accepted": {
    title: "invite.accept.problem.used",
    text: "invite.accept.problem.used_text",
    openConsole: true,
  },
  "invitation-email-mismatch": {
    title: "invite.accept.problem.other_email",
    text: "invite.accept.problem.other_email_text",
    switchAccount: true,
  },
  "already-member": {
    title: "invite.accept.problem.member",
    text: "invite.accept.problem.member_text",
    openConsole: true,
  },
};

/** The problem slugs the accept page explains (the others get the generic alert). */
export const EXPLAINED_SLUGS = Object.keys(PROBLEMS);

/** The explanation of a refused accept, or null when the problem is not about the invitation. */
export function acceptProblem(problem: Problem): AcceptProblem | null {
  const slug = problemSlug(problem);
  const found = PROBLEMS[slug];
  return found ? { slug, ...found } : null;
}

/** A link without a token is as good as an unknown one. */
export const MISSING_TOKEN: AcceptProblem = { slug: "invitation-not-found", ...PROBLEMS["invitation-not-found"]! };

/** What the link says before anyone accepts (POST /v1/invitations/preview): each status that
 * cannot be accepted explained as the refused accept would be; null while it can be. */
const LINK_PROBLEMS: Record<LinkStatus, string | null> = {
  pending: null,
  expired: "invitation-expired",
  revoked: "invitation-revoked",
  accepted: "invitation-already-accepted",
  replaced: "invitation-link-replaced",
};

export function linkProblem(status: LinkStatus): AcceptProblem | null {
  const slug = LINK_PROBLEMS[status];
  return slug ? { slug, ...PROBLEMS[slug]! } : null;
}

/** Whether the signed-in email is the invited one (as the service compares them: trimmed, any case). */
export function isInvitedEmail(invited: string, signedIn: string): boolean {
  return invited.trim().toLowerCase() === signedIn.trim().toLowerCase();
}

/** Signed in with another email than the invited one: said before accepting. */
export const OTHER_EMAIL: AcceptProblem = { slug: "invitation-email-mismatch", ...PROBLEMS["invitation-email-mismatch"]! };

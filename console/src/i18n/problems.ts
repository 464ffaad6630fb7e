// A problem's headline in the user's language, by its type (the wording of `title` is the
// server's English); the server's `detail` is always shown under it.
import { NETWORK_PROBLEM_STATUS, problemSlug } from "../api/problem";
import type { Problem } from "../api/types";
import type { MessageKey, Translate } from "./index";

const BY_SLUG: Record<string, MessageKey> = {
  "email-taken": "problem.email_taken",
  "invalid-credentials": "problem.invalid_credentials",
  "invalid-refresh-token": "problem.session_expired",
  "too-many-attempts": "problem.too_many_attempts",
  "link-expired": "problem.link_expired",
  "link-invalid": "problem.link_invalid",
  "too-soon": "problem.too_soon",
  "invalid-second-factor": "problem.invalid_second_factor",
  "mfa-token-invalid": "problem.mfa_token_invalid",
  "wrong-password": "problem.wrong_password",
  "two-factor-enabled": "problem.two_factor_enabled",
  "two-factor-not-started": "problem.two_factor_not_started",
  "email-already-verified": "problem.email_already_verified",
  "validation-failed": "problem.validation_failed",
  "mini-program-limit-reached": "problem.mini_program_limit",
  "name-taken": "problem.name_taken",
  "already-decided": "problem.already_decided",
  "application-under-review": "problem.application_under_review",
  "already-approved": "problem.already_approved",
  "no-draft": "problem.no_draft",
  "already-member": "problem.already_member",
  "owner-is-fixed": "problem.owner_is_fixed",
  "invitation-pending": "problem.invitation_pending",
  "too-many-invitations": "problem.too_many_invitations",
  "invitation-not-found": "invite.accept.problem.not_found",
  "invitation-already-accepted": "invite.accept.problem.used",
  "invitation-expired": "invite.accept.problem.expired",
  "invitation-revoked": "invite.accept.problem.revoked",
  "invitation-link-replaced": "invite.accept.problem.replaced",
  "invitation-email-mismatch": "invite.accept.problem.other_email",
};

const BY_STATUS: Record<number, MessageKey> = {
  [NETWORK_PROBLEM_STATUS]: "problem.network",
  400: "problem.bad_request",
  401: "problem.unauthorized",
  403: "problem.forbidden",
  404: "problem.not_found",
  409: "problem.conflict",
  413: "problem.too_large",
  415: "problem.media_type",
  422: "problem.validation_failed",
  429: "problem.too_many_attempts",
  503: "problem.unavailable",
};

export function problemTitle(problem: Problem, t: Translate): string {
  const key = BY_SLUG[problemSlug(problem)] ?? BY_STATUS[problem.status];
  if (key) return t(key);
  return problem.status >= 500 ? t("problem.server") : problem.title;
}

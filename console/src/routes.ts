// Where the console sends a user: pure functions of what the server said, unit tested.
import type { Account, Application, DraftStep, NextStep } from "./api/types";

export const PATHS = {
  login: "/login",
  signup: "/signup",
  terms: "/terms",
  verifyEmail: "/verify-email",
  forgotPassword: "/forgot-password",
  resetPassword: "/reset-password",
  security: "/account/security",
  sessions: "/account/sessions",
  applyRole: "/apply/role",
  applyDetails: "/apply/details",
  applyReview: "/apply/review",
  applyStatus: "/apply/status",
  console: "/console",
  workspaces: "/console/workspaces",
  reviewQueue: "/review",
  notifications: "/admin/notifications",
  acceptInvitation: "/invitations/accept",
} as const;

export const workspacePaths = (workspaceId: string) => {
  const base = `/console/w/${encodeURIComponent(workspaceId)}`;
  return {
    miniPrograms: `${base}/mini-programs`,
    createMiniProgram: `${base}/mini-programs/new`,
    miniProgramForm: (target: string) => `${base}/mini-programs/new/${encodeURIComponent(target)}`,
    editMiniProgram: (id: string) => `${base}/mini-programs/${encodeURIComponent(id)}/edit`,
    members: `${base}/members`,
    member: (accountId: string) => `${base}/members/${encodeURIComponent(accountId)}`,
    miniProgramDevelopers: (id: string) => `${base}/mini-programs/${encodeURIComponent(id)}/developers`,
    activity: `${base}/activity`,
  };
};

/** The email a page was sent to fill in (the accept page passes the invited one to signup and
 * login in the history state, so it is in no URL, log or Referer). */
export function prefilledEmail(state: unknown): string {
  const email = (state as { email?: unknown } | null)?.email;
  return typeof email === "string" ? email : "";
}

export const reviewPath = (applicationId: string) =>
  `/review/${encodeURIComponent(applicationId)}`;

const STEP_PATHS: Record<DraftStep, string> = {
  role: PATHS.applyRole,
  business_details: PATHS.applyDetails,
  review: PATHS.applyReview,
};

/** The application page of a draft's saved step (the role choice when none was saved). */
export function draftStepPath(step: DraftStep | null | undefined): string {
  return (step && STEP_PATHS[step]) || PATHS.applyRole;
}

/**
 * The page `next_step` asks for. The application, when known, refines it: accounts learns the
 * step from workspace events, so right after a submission or a decision it may lag behind the
 * application, which is the truth.
 */
export function nextStepPath(
  nextStep: NextStep,
  application?: Pick<Application, "status" | "step"> | null,
): string {
  switch (nextStep) {
    case "enrol_two_factor":
      return PATHS.security;
    case "workspace_ready":
      return PATHS.console;
    case "application_under_review":
    case "application_rejected":
      return application?.status === "draft" ? draftStepPath(application.step) : PATHS.applyStatus;
    case "apply_workspace":
      if (!application || application.status === "draft") return draftStepPath(application?.step);
      return PATHS.applyStatus; // submitted, decided or being set up: the status page tells
  }
}

/**
 * After login: staff to their consoles, everyone else to what next_step asks for
 * (`workspace_ready` for a member of any workspace, their own or one they were added to).
 */
export function homePath(
  account: Pick<Account, "roles">,
  nextStep: NextStep,
  application?: Pick<Application, "status" | "step"> | null,
): string {
  // Staff without two-factor sign-in enrol before their consoles (their tokens lack the role).
  if (nextStep === "enrol_two_factor") return PATHS.security;
  if (account.roles.includes("reviewer")) return PATHS.reviewQueue;
  if (account.roles.includes("admin")) return PATHS.notifications;
  return nextStepPath(nextStep, application);
}

/** Whether a merchant's home needs the application and workspaces to be decided precisely. */
export function needsApplication(nextStep: NextStep): boolean {
  return nextStep !== "workspace_ready";
}

/** The accept page of an invitation's link, as the mail sends it. */
export const acceptInvitationPath = (token: string) =>
  `${PATHS.acceptInvitation}?token=${encodeURIComponent(token)}`;

/** A page that sends the user to log in or sign up and back: `?next=` carries where to. */
export const withNext = (path: string, next: string | null) =>
  next ? `${path}?next=${encodeURIComponent(next)}` : path;

/** A `?next=` target is only followed within the console (no open redirect). */
export function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return null;
  return next;
}

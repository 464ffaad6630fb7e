// Names for the generated schemas the pages use. Nothing here is written by hand: every type is
// an alias of src/api/generated/<service>.ts, which `npm run gen:api` makes from the services'
// OpenAPI documents.
import type { components as AccountsComponents } from "./generated/accounts";
import type { components as MiniProgramsComponents } from "./generated/miniprograms";
import type { components as NotifierComponents } from "./generated/notifier";
import type {
  components as WorkspacesComponents,
  operations as WorkspacesOperations,
} from "./generated/workspaces";

type A = AccountsComponents["schemas"];
type W = WorkspacesComponents["schemas"];
type M = MiniProgramsComponents["schemas"];
type N = NotifierComponents["schemas"];

// A problem of any service: its field errors carry any service's codes.
export type FieldProblem = A["FieldError"] | W["FieldError"] | M["FieldError"] | N["FieldError"];
export type FieldErrorCode = FieldProblem["code"];
export type Problem = Omit<A["Problem"], "errors"> & { errors?: FieldProblem[] };

export type Account = A["AccountRead"];
export type SessionRead = A["SessionRead"];
export type TokenPair = A["TokenPair"];
export type NextStep = A["SessionRead"]["next_step"];
export type AccountCreate = A["AccountCreate"];
export type RefreshRequest = A["RefreshRequest"];
export type MeRead = A["MeRead"];
export type MfaChallenge = A["MfaChallengeRead"];
export type SessionItem = A["SessionItem"];
export type TotpEnrolment = A["TotpEnrolmentRead"];

export type Application = W["ApplicationRead"];
export type ApplicationStatus = W["ApplicationStatus"];
export type DraftStep = W["DraftStep"];
export type DraftUpdate = W["DraftUpdate"];
export type Workspace = W["WorkspaceRead"];
export type WorkspaceRole = W["WorkspaceRead"]["my_role"];
export type Member = W["MemberRead"];
export type MemberCreate = W["MemberCreate"];
export type Invitation = W["InvitationRead"];
export type InvitationStatus = W["InvitationStatus"];
export type InvitationPreview = W["InvitationPreviewRead"];
export type LinkStatus = W["LinkStatus"];
export type ActivityEntry = W["ActivityEntryRead"];
export type ActivityKind = W["ActivityKind"];
export type ActivityPage = W["ActivityPage"];
export type ReviewStatus = NonNullable<
  NonNullable<WorkspacesOperations["list_review_queue"]["parameters"]["query"]>["status"]
>;
export type DecisionCreate = W["DecisionCreate"];

export type MiniProgram = M["MiniProgramRead"];
export type MiniProgramWithQuota = M["MiniProgramWithQuota"];
export type MiniProgramForm = M["MiniProgramFormFields"];
export type Quota = M["Quota"];
export type Industry = M["IndustryRead"];

export type Notification = N["NotificationRead"];
export type NotificationStatus = N["NotificationStatus"];

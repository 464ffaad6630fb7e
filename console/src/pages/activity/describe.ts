// An activity entry in words: what happened (a sentence of the user's language, with who did it
// and what it is about) and the changed fields before and after.
import type { ActivityEntry, ActivityKind } from "../../api/types";
import type { MessageKey, Translate } from "../../i18n";

/** Every kind the service records, with its name (a new kind fails tsc until it has one). */
export const KIND_LABELS: Record<ActivityKind, MessageKey> = {
  "application.submitted": "activity.kind.application.submitted",
  "application.decided": "activity.kind.application.decided",
  "application.withdrawn": "activity.kind.application.withdrawn",
  "workspace.created": "activity.kind.workspace.created",
  "member.invited": "activity.kind.member.invited",
  "member.invitation_revoked": "activity.kind.member.invitation_revoked",
  "member.joined": "activity.kind.member.joined",
  "member.added": "activity.kind.member.added",
  "member.role_changed": "activity.kind.member.role_changed",
  "member.removed": "activity.kind.member.removed",
  "access.granted": "activity.kind.access.granted",
  "access.revoked": "activity.kind.access.revoked",
  "mini_program.created": "activity.kind.mini_program.created",
  "mini_program.modified": "activity.kind.mini_program.modified",
};

export const KINDS = Object.keys(KIND_LABELS) as ActivityKind[];

/** The sentence of each kind; placeholders: actor, email, member, role, name, company. */
const SENTENCES: Record<ActivityKind, MessageKey> = {
  "application.submitted": "activity.text.application.submitted",
  "application.decided": "activity.text.application.decided",
  "application.withdrawn": "activity.text.application.withdrawn",
  "workspace.created": "activity.text.workspace.created",
  "member.invited": "activity.text.member.invited",
  "member.invitation_revoked": "activity.text.member.invitation_revoked",
  "member.joined": "activity.text.member.joined",
  "member.added": "activity.text.member.added",
  "member.role_changed": "activity.text.member.role_changed",
  "member.removed": "activity.text.member.removed",
  "access.granted": "activity.text.access.granted",
  "access.revoked": "activity.text.access.revoked",
  "mini_program.created": "activity.text.mini_program.created",
  "mini_program.modified": "activity.text.mini_program.modified",
};

const FIELD_LABELS: Record<string, MessageKey> = {
  status: "activity.field.status",
  role: "activity.field.role",
  access: "activity.field.access",
  name: "mp.name",
  tagline: "mp.tagline",
  description: "mp.description",
  industry: "mp.industry",
  service_phone: "mp.service_phone",
  service_email: "mp.service_email",
};

const VALUE_LABELS: Record<string, Record<string, MessageKey>> = {
  role: { owner: "role.owner", master: "role.master", developer: "role.developer" },
  access: { none: "grants.not_granted", granted: "grants.granted" },
  status: {
    draft: "activity.value.draft",
    under_review: "activity.value.under_review",
    approved: "activity.value.approved",
    rejected: "activity.value.rejected",
  },
};

/** Why access was taken away without anyone taking it (the service's codes). */
const REASON_LABELS: Record<string, MessageKey> = {
  member_removed: "activity.reason.member_removed",
  role_changed: "activity.reason.role_changed",
};

/** Names of the workspace's members by account id (people who left are not in it): only for
 * entries recorded before the service kept the names of the people in them. */
export type Names = ReadonlyMap<string, string>;

export interface Described {
  kind: string;
  actor: string;
  text: string;
  changes: string[];
}

function value(t: Translate, field: string, raw: string | null | undefined): string {
  if (raw === null || raw === undefined || raw === "") return "—";
  const key = VALUE_LABELS[field]?.[raw];
  return key ? t(key) : raw;
}

/** How to name the people of an entry that the entry does not name itself. */
export interface Naming {
  /** An actor neither recorded nor in `names`: someone who left; for an applicant, the reviewer. */
  unknown?: MessageKey;
  /** The reader's own account id: they are "You". */
  me?: string;
}

type Actor = Pick<ActivityEntry, "actor_id" | "actor_kind" | "actor_name">;

/** Who: the platform, the reviewer (never named), you, the name recorded with the entry, or for
 * an entry recorded before names were kept, a current member's name or the start of the id. */
export function actorName(entry: Actor, names: Names, t: Translate, naming: Naming = {}): string {
  if (!entry.actor_id || entry.actor_kind === "platform") return t("activity.actor.platform");
  if (entry.actor_kind === "reviewer") return t("activity.actor.reviewer");
  if (naming.me && entry.actor_id === naming.me) return t("activity.actor.you");
  return entry.actor_name ?? names.get(entry.actor_id) ?? t(naming.unknown ?? "activity.actor.former", { id: entry.actor_id.slice(0, 8) });
}

export function describe(entry: ActivityEntry, names: Names, t: Translate, naming: Naming = {}): Described {
  const s = entry.subject;
  const actor = actorName(entry, names, t, naming);
  const memberId = s.account_id;
  // The name recorded with the entry; for older entries, a current member's.
  const member = s.full_name || (memberId && names.get(memberId)) || s.email || memberId || "";
  const roleChange = entry.changes.find((c) => c.field === "role");
  const role = value(t, "role", s.role ?? roleChange?.after ?? null);
  let text = t(SENTENCES[entry.kind], { actor, member, email: s.email ?? member, role, name: s.name ?? "", company: s.company_name ?? "" });
  if (entry.kind === "application.decided") {
    text = t(s.decision === "approve" ? "activity.text.application.approved" : "activity.text.application.rejected", {
      actor,
      company: s.company_name ?? "",
    });
  }
  if (entry.kind === "member.invited" && s.resent === "true") text = t("activity.text.member.reinvited", { actor, email: s.email ?? "", role });
  const reasonKey = entry.kind === "access.revoked" && s.reason ? REASON_LABELS[s.reason] : undefined;
  const reason = s.reason ? [t("activity.reason", { reason: reasonKey ? t(reasonKey) : s.reason })] : [];
  const changes = entry.changes.map((c) =>
    t("activity.change", {
      field: FIELD_LABELS[c.field] ? t(FIELD_LABELS[c.field]!) : c.field,
      before: value(t, c.field, c.before),
      after: value(t, c.field, c.after),
    }),
  );
  return { kind: t(KIND_LABELS[entry.kind]), actor, text, changes: [...changes, ...reason] };
}

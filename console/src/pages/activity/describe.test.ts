import { describe as group, expect, it } from "vitest";
import type { ActivityEntry } from "../../api/types";
import { translate } from "../../i18n";
import { actorName, describe, KINDS } from "./describe";
import { attachmentName, filterQuery, pageOf } from "./exporting";

const en = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) => translate("en", key, vars);
const zh = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) => translate("zh-CN", key, vars);
const names = new Map([
  ["owner-1", "Ada Owner"],
  ["dev-1", "Zhou Min"],
]);

const entry = (kind: ActivityEntry["kind"], subject: Record<string, string>, changes: ActivityEntry["changes"] = [], actor: string | null = "owner-1"): ActivityEntry => ({
  id: `e-${kind}`,
  kind,
  occurred_at: "2026-12-03T08:00:00Z",
  actor_id: actor,
  actor_kind: actor === null ? "platform" : kind === "application.decided" ? "reviewer" : "person",
  actor_name: null, // as recorded before names were kept: the tests of names set it
  actor_email: null,
  workspace_id: "w1",
  application_id: null,
  mini_program_id: null,
  subject,
  changes,
});

group("an activity entry in words", () => {
  it("names who did it as recorded, even someone who left; the reviewer and the platform by what they are", () => {
    const who = (actor_id: string | null, actor_name: string | null, actor_kind: ActivityEntry["actor_kind"] = "person") => ({ actor_id, actor_name, actor_kind });
    expect(actorName(who("gone-1", "Lu Left"), names, en)).toBe("Lu Left");
    expect(actorName(who("owner-1", "Ada at the time"), names, en)).toBe("Ada at the time");
    expect(actorName(who("staff-1", null, "reviewer"), names, en)).toBe(en("activity.actor.reviewer"));
    expect(actorName(who(null, null, "platform"), names, en)).toBe(en("activity.actor.platform"));
    expect(actorName(who("me-1", "Me Myself"), names, en, { me: "me-1" })).toBe(en("activity.actor.you"));
  });

  it("falls back, for entries recorded before names were kept, to the members, then the id", () => {
    const old = (actor_id: string) => ({ actor_id, actor_name: null, actor_kind: "person" as const });
    expect(actorName(old("owner-1"), names, en)).toBe("Ada Owner");
    expect(actorName(old("0123456789abcdef"), names, en)).toBe(en("activity.actor.former", { id: "01234567" }));
  });

  it("names a removed member by the name recorded with the entry", () => {
    const removed = { ...entry("member.removed", { account_id: "gone-1", email: "lu@example.com", full_name: "Lu Left" }), actor_name: "Ada Owner" };
    expect(describe(removed, new Map(), en).text).toContain("Lu Left");
    expect(describe(removed, new Map(), en).actor).toBe("Ada Owner");
  });

  it("says what a grant gave, to whom, with the field before and after", () => {
    const d = describe(entry("access.granted", { account_id: "dev-1", name: "Lunch" }, [{ field: "access", before: "none", after: "granted" }]), names, en);
    expect(d.text).toBe("Ada Owner granted Zhou Min access to Lunch");
    expect(d.changes).toEqual([`Access: ${en("grants.not_granted")} → ${en("grants.granted")}`]);
  });

  it("writes a modify's changed fields by their labels, in Chinese too", () => {
    const e = entry("mini_program.modified", { name: "午餐" }, [{ field: "tagline", before: "Old", after: "新的" }], "dev-1");
    expect(describe(e, names, zh).changes).toEqual([`${zh("mp.tagline")}：Old → 新的`]);
    expect(describe(e, names, zh).text).toContain("Zhou Min");
  });

  it("tells an approval from a rejection, with the reason", () => {
    const rejected = describe(entry("application.decided", { decision: "reject", reason: "Blurry logo", company_name: "Acme" }, [], "rev-1"), names, en);
    expect(rejected.text).toContain("rejected");
    expect(rejected.actor).toBe(en("activity.actor.reviewer"));
    expect(rejected.changes).toContain(en("activity.reason", { reason: "Blurry logo" }));
    expect(describe(entry("application.decided", { decision: "approve", company_name: "Acme" }), names, en).text).toContain("approved");
  });

  it("explains access taken away with a member's departure", () => {
    const d = describe(entry("access.revoked", { account_id: "dev-1", name: "Lunch", reason: "member_removed" }, [], null), names, en);
    expect(d.changes).toContain(en("activity.reason", { reason: en("activity.reason.member_removed") }));
  });

  it("has a name and a sentence for every kind, with every placeholder filled", () => {
    for (const kind of KINDS) {
      const d = describe(entry(kind, { email: "a@example.com", role: "developer", name: "N", company_name: "C", decision: "approve" }), names, zh);
      expect(d.kind).not.toMatch(/activity\./);
      expect(d.text, kind).not.toMatch(/[{}]|activity\./);
    }
  });
});

group("exports", () => {
  it("send only the filters chosen", () => {
    expect(filterQuery({ kind: "", miniProgramId: "" })).toEqual({});
    expect(filterQuery({ kind: "access.granted", miniProgramId: "mp1" })).toEqual({ kind: "access.granted", mini_program_id: "mp1" });
  });

  it("leave the JSON page as it is, and read one that came as text", () => {
    const page = { items: [], next_cursor: "c" };
    expect(pageOf(page)).toBe(page);
    expect(pageOf(JSON.stringify(page))).toEqual(page);
  });

  it("are saved under the server's file name", () => {
    expect(attachmentName('attachment; filename="activity-workspace-w1.csv"', "x")).toBe("activity-workspace-w1.csv");
    expect(attachmentName(null, "fallback.jsonl")).toBe("fallback.jsonl");
  });
});

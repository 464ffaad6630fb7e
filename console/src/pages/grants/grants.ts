// Per-mini-program access: who of the workspace's developers may work on which mini program.
// The owner and masters see every mini program and are never granted one.
import { call, miniprograms } from "../../api/client";
import type { Member, Problem } from "../../api/types";

/** Only the owner and masters grant and take access away (as they create mini programs). */
export function canGrant(role: string): boolean {
  return role === "owner" || role === "master";
}

export interface DeveloperRow {
  member: Member;
  granted: boolean;
}

/** The workspace's developers, by name, each with whether the mini program is granted to them. */
export function developerRows(members: readonly Member[], granted: ReadonlySet<string>): DeveloperRow[] {
  return members
    .filter((m) => m.role === "developer")
    .map((member) => ({ member, granted: granted.has(member.account_id) }))
    .sort((a, b) => a.member.full_name.localeCompare(b.member.full_name));
}

export async function loadDevelopers(miniProgramId: string): Promise<{ ok: true; ids: Set<string> } | { ok: false; problem: Problem }> {
  const result = await call(miniprograms.GET("/v1/mini-programs/{id}/developers", { params: { path: { id: miniProgramId } } }));
  if (!result.ok) return result;
  return { ok: true, ids: new Set(result.data.items.map((d) => d.account_id)) };
}

/** The ids of the mini programs one member of the workspace is granted (one call: the listing
 * filtered by `developer_id`; the owner and masters hold none). */
export async function loadGrantedTo(
  workspaceId: string,
  accountId: string,
): Promise<{ ok: true; ids: Set<string> } | { ok: false; problem: Problem }> {
  const result = await call(
    miniprograms.GET("/v1/mini-programs", { params: { query: { workspace_id: workspaceId, developer_id: accountId } } }),
  );
  if (!result.ok) return result;
  return { ok: true, ids: new Set(result.data.items.map((mp) => mp.id)) };
}

/** Grant (PUT) or take away (DELETE) one developer's access to one mini program. */
export async function setAccess(miniProgramId: string, accountId: string, granted: boolean): Promise<Problem | null> {
  const params = { params: { path: { id: miniProgramId, account_id: accountId } } };
  const result = await call(
    granted
      ? miniprograms.PUT("/v1/mini-programs/{id}/developers/{account_id}", params)
      : miniprograms.DELETE("/v1/mini-programs/{id}/developers/{account_id}", params),
  );
  return result.ok ? null : result.problem;
}

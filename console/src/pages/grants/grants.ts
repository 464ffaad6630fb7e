// Per-mini-program access: who of the workspace's developers may work on which mini program.
// The owner and masters see every mini program and are never granted one.
import { call, miniprograms } from "../../api/client";
import type { Member, MiniProgram, Problem } from "../../api/types";

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

/** Which of the mini programs are granted to the developer, from each one's developers. */
export function grantedTo(accountId: string, developersOf: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  return new Set([...developersOf].filter(([, ids]) => ids.has(accountId)).map(([id]) => id));
}

export async function loadDevelopers(miniProgramId: string): Promise<{ ok: true; ids: Set<string> } | { ok: false; problem: Problem }> {
  const result = await call(miniprograms.GET("/v1/mini-programs/{id}/developers", { params: { path: { id: miniProgramId } } }));
  if (!result.ok) return result;
  return { ok: true, ids: new Set(result.data.items.map((d) => d.account_id)) };
}

/** Every mini program's developers (at most the workspace's quota of calls: the API has no
 * per-developer view of grants). */
export async function loadAllDevelopers(
  items: readonly MiniProgram[],
): Promise<{ ok: true; developersOf: Map<string, Set<string>> } | { ok: false; problem: Problem }> {
  const results = await Promise.all(items.map(async (mp) => [mp.id, await loadDevelopers(mp.id)] as const));
  const developersOf = new Map<string, Set<string>>();
  for (const [id, result] of results) {
    if (!result.ok) return result;
    developersOf.set(id, result.ids);
  }
  return { ok: true, developersOf };
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

import { afterEach, describe, expect, it, vi } from "vitest";
import type { Member } from "../../api/types";
import { canGrant, developerRows, loadGrantedTo } from "./grants";

const member = (account_id: string, full_name: string, role: Member["role"]): Member =>
  ({ account_id, full_name, role, email: `${account_id}@example.com`, added_at: "2026-01-01T00:00:00Z" });

describe("grants", () => {
  it("are given by the owner and masters only", () => {
    expect(canGrant("owner")).toBe(true);
    expect(canGrant("master")).toBe(true);
    expect(canGrant("developer")).toBe(false);
  });

  it("list only developers, by name, with their access", () => {
    const members = [member("o", "Owner", "owner"), member("b", "Bo", "developer"), member("m", "Ma", "master"), member("a", "An", "developer")];
    expect(developerRows(members, new Set(["b"])).map((r) => [r.member.account_id, r.granted])).toEqual([
      ["a", false],
      ["b", true],
    ]);
  });

  it("of one developer come from one listing filtered by developer_id", async () => {
    const urls: string[] = [];
    vi.stubGlobal("fetch", async (input: Request) => {
      urls.push(input.url);
      const body = { items: [{ id: "mp1" }, { id: "mp2" }], quota: { used: 3, limit: 10 } };
      return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    });
    const granted = await loadGrantedTo("w1", "dev-1");
    expect(granted.ok && [...granted.ids].sort()).toEqual(["mp1", "mp2"]);
    expect(urls).toHaveLength(1);
    const url = new URL(urls[0]!);
    expect([url.pathname, url.searchParams.get("workspace_id"), url.searchParams.get("developer_id")]).toEqual(["/v1/mini-programs", "w1", "dev-1"]);
  });

  it("of one developer report the API's refusal as a problem", async () => {
    vi.stubGlobal("fetch", async () =>
      new Response(JSON.stringify({ type: "about:blank", title: "Forbidden", status: 403, detail: "Only the workspace's owner and masters see another member's grants" }), {
        status: 403,
        headers: { "Content-Type": "application/problem+json" },
      }),
    );
    const granted = await loadGrantedTo("w1", "dev-2");
    expect(granted.ok).toBe(false);
    expect(!granted.ok && granted.problem.status).toBe(403);
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

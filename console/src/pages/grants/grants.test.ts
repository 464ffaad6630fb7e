import { describe, expect, it } from "vitest";
import type { Member } from "../../api/types";
import { canGrant, developerRows, grantedTo } from "./grants";

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

  it("of a developer are the mini programs naming them", () => {
    const developersOf = new Map([
      ["mp1", new Set(["a", "b"])],
      ["mp2", new Set(["b"])],
      ["mp3", new Set<string>()],
    ]);
    expect([...grantedTo("a", developersOf)]).toEqual(["mp1"]);
    expect([...grantedTo("b", developersOf)].sort()).toEqual(["mp1", "mp2"]);
    expect(grantedTo("c", developersOf).size).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { defaultLogoColor, LOGO_COLORS, logoInitial } from "./defaultLogo";

describe("the default logo's initial, as workspaces' logo_initial", () => {
  it.each([
    ["acme", "A"],
    ["  élan", "É"],
    ["支付宝科技", "支"],
    ["𠮷野家", "𠮷"],
    ["42 Labs", "4"],
    ["", "?"],
  ])("%s → %s", (name, initial) => {
    expect(logoInitial(name)).toBe(initial);
  });
});

describe("the default logo's colour", () => {
  it("is the stored one when the server sends it", () => {
    expect(defaultLogoColor("#0E7C86", "app-1")).toBe("#0E7C86");
  });

  it("is otherwise a stable pick from the server's palette", () => {
    const color = defaultLogoColor(null, "app-1");
    expect(LOGO_COLORS).toContain(color);
    expect(defaultLogoColor(undefined, "app-1")).toBe(color);
  });
});

import { describe, expect, it } from "vitest";
import en from "./en.json";
import zhCN from "./zh-CN.json";
import { CATALOGUES, DEFAULT_LANGUAGE, translate } from "./index";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the two catalogues", () => {
  it("have the same keys", () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it("have the same placeholders in every message", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("have no empty message", () => {
    for (const catalogue of Object.values(CATALOGUES)) {
      for (const [key, text] of Object.entries(catalogue)) expect(text.trim(), key).not.toBe("");
    }
  });

  it("are really translated: the Chinese one is in Chinese", () => {
    const chinese = Object.values(zhCN).filter((text) => /\p{Script=Han}/u.test(text));
    expect(chinese.length / Object.keys(zhCN).length).toBeGreaterThan(0.95);
  });
});

describe("translate", () => {
  it("fills placeholders", () => {
    expect(translate("en", "mp.quota", { used: 3, limit: 10 })).toBe("3 of 10 used");
    expect(translate("zh-CN", "mp.quota", { used: 3, limit: 10 })).toBe("已使用 3 / 10");
  });

  it("defaults to Simplified Chinese", () => {
    expect(DEFAULT_LANGUAGE).toBe("zh-CN");
  });
});

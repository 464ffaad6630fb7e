import { describe, expect, it } from "vitest";
import { retryAfterSeconds } from "./retryAfter";

describe("Retry-After", () => {
  it("reads delta-seconds", () => {
    expect(retryAfterSeconds("42")).toBe(42);
    expect(retryAfterSeconds(" 0 ")).toBe(0);
  });

  it("reads an HTTP date as the seconds until then", () => {
    const now = Date.parse("2026-11-20T08:00:00Z");
    expect(retryAfterSeconds("Fri, 20 Nov 2026 08:00:30 GMT", now)).toBe(30);
    expect(retryAfterSeconds("Fri, 20 Nov 2026 07:59:00 GMT", now)).toBe(0);
  });

  it("is null without a usable header", () => {
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds("soon")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import accounts from "../api/generated/accounts.json";
import miniprograms from "../api/generated/miniprograms.json";
import notifier from "../api/generated/notifier.json";
import workspaces from "../api/generated/workspaces.json";
import type { FieldProblem } from "../api/types";
import en from "./en.json";
import { fieldMessage, fieldMessageKey } from "./fieldErrors";
import { translate, type MessageKey } from "./index";
import zhCN from "./zh-CN.json";

// `npm test` generates these from the services' OpenAPI documents first.
const DOCUMENTS = { accounts, workspaces, miniprograms, notifier };

interface Declared {
  service: string;
  code: string;
  /** The placeholders of the server's English message: the params it sends. */
  params: string[];
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "");

/** Every field error code each service's OpenAPI document declares, with the params its
 * English message names (the document lists each as "- `code`: message"). */
function declaredCodes(): Declared[] {
  const found: Declared[] = [];
  for (const [service, document] of Object.entries(DOCUMENTS)) {
    const code = document.components.schemas.FieldError.properties.code;
    for (const name of code.enum) {
      const line = code.description.split("\n").find((l) => l.startsWith(`- \`${name}\`:`));
      found.push({ service, code: name, params: placeholders(line ?? "") });
    }
  }
  return found;
}

// Every number of bytes is also given in KB (fieldErrors.ts).
const withDerived = (params: string[]) => [...params, ...params.map((p) => `${p}_kb`)];

describe("every field error code a service declares", () => {
  const declared = declaredCodes();

  it("is found in the documents (shared and each service's own)", () => {
    const codes = new Set(declared.map((d) => d.code));
    for (const code of ["missing", "email_format", "password_too_short", "phone_format", "weighted_length", "logo_not_square"]) {
      expect(codes, code).toContain(code);
    }
  });

  it("has a text in Simplified Chinese and in English", () => {
    const missing = declared.filter(
      ({ code }) => !(`field_error.${code}` in en) || !(`field_error.${code}` in zhCN),
    );
    expect(missing.map((d) => `${d.service}: ${d.code}`)).toEqual([]);
  });

  it("is translated with only the params the server sends for it", () => {
    for (const { service, code, params } of declared) {
      const key = `field_error.${code}` as MessageKey;
      for (const name of placeholders(en[key] ?? "")) {
        expect(withDerived(params), `${service} ${code}: {${name}}`).toContain(name);
      }
    }
  });

  it("has no text the services no longer declare", () => {
    const codes = new Set(declared.map((d) => d.code));
    const stale = Object.keys(en).filter((k) => k.startsWith("field_error.") && !codes.has(k.slice(12)));
    expect(stale).toEqual([]);
  });
});

const error = (code: string, params: FieldProblem["params"], message = "server's words") =>
  ({ field: "name", code, params, message }) as FieldProblem;

describe("fieldMessage", () => {
  it("says a known code in the user's language with its params", () => {
    const tooShort = error("weighted_length", { min: 3, max: 30, length: 2 });
    expect(fieldMessage(tooShort, (k, v) => translate("zh-CN", k, v))).toBe(
      "长度须为 3 至 30 个字符，一个汉字计为两个字符（当前为 2）",
    );
    expect(fieldMessage(tooShort, (k, v) => translate("en", k, v))).toBe(
      "Must be 3 to 30 characters long, a Chinese character counting as two (this is 2)",
    );
  });

  it("gives sizes in bytes also in KB", () => {
    const tooLarge = error("logo_too_large", { max_bytes: 262144, size: 300000 });
    expect(fieldMessage(tooLarge, (k, v) => translate("zh-CN", k, v))).toBe("不能超过 256 KB（此文件为 293 KB）");
  });

  it("falls back to the server's message for a code it does not know", () => {
    expect(fieldMessageKey("a_code_from_a_newer_server")).toBeUndefined();
    expect(fieldMessage(error("a_code_from_a_newer_server", {}), (k, v) => translate("zh-CN", k, v))).toBe(
      "server's words",
    );
  });
});

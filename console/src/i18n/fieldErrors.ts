// A field error in the user's language: the server names what is wrong by a stable `code` with
// `params` (its English `message` is for people reading the raw answer); each code the services
// declare has a text `field_error.<code>` in both catalogues (fieldErrors.test.ts checks it
// against the generated OpenAPI documents). An unknown code (a newer server) shows the message.
import type { FieldProblem } from "../api/types";
import en from "./en.json";
import type { MessageKey, Translate, Vars } from "./index";

export function fieldMessageKey(code: string): MessageKey | undefined {
  const key = `field_error.${code}`;
  return key in en ? (key as MessageKey) : undefined;
}

/** The params as placeholders, and each number of bytes also in KB (`{max_bytes_kb}`). */
function vars(params: FieldProblem["params"]): Vars {
  const found: Vars = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === "number") {
      found[name] = value;
      if (name.endsWith("bytes") || name === "size") found[`${name}_kb`] = Math.ceil(value / 1024);
    } else {
      found[name] = String(value);
    }
  }
  return found;
}

export function fieldMessage(error: FieldProblem, t: Translate): string {
  const key = fieldMessageKey(error.code);
  return key ? t(key, vars(error.params)) : error.message;
}

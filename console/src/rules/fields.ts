// Client copies of the server's field rules, for live feedback only: the server re-checks
// everything and its answer is the one shown when they disagree.
import { countedLength, hasControlCharacters, pythonStrip } from "./weightedLength";

export interface Limits {
  readonly min: number;
  readonly max: number;
}

/** services/miniprograms/miniprograms/domain.py: Name, Tagline, Description. */
export const TEXT_LIMITS = {
  name: { min: 3, max: 30 },
  tagline: { min: 10, max: 30 },
  description: { min: 20, max: 200 },
} as const satisfies Record<string, Limits>;

export type TextField = keyof typeof TEXT_LIMITS;

/** `XXXX-XXXXXXX`, ASCII digits only (as the server's [0-9], not \d). */
export const SERVICE_PHONE = /^[0-9]{4}-[0-9]{7}$/;

/** Password length of accounts' signup (no composition rules; the server also refuses the most
 * common passwords, which only it knows). */
export const PASSWORD_LIMITS = { min: 8, max: 128 } as const;

/** Company name of the workspace application: 1..100 after trimming. */
export const COMPANY_NAME_MAX = 100;

export type TextProblem =
  | { kind: "required" }
  | { kind: "control" }
  | { kind: "short"; min: number; length: number }
  | { kind: "long"; max: number; length: number };

/** The check of a mini program text, as the server's validators run it: trimmed, no control or
 * format characters, then weighed. */
export function checkWeightedText(value: string, limits: Limits): TextProblem | null {
  const trimmed = pythonStrip(value);
  if (trimmed === "") return { kind: "required" };
  if (hasControlCharacters(trimmed)) return { kind: "control" };
  const length = countedLength(value);
  if (length < limits.min) return { kind: "short", min: limits.min, length };
  if (length > limits.max) return { kind: "long", max: limits.max, length };
  return null;
}

export function isServicePhone(value: string): boolean {
  return SERVICE_PHONE.test(value);
}

/** A light email check (the server's email-validator decides). */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}

/** http(s) URL with a host, as the server's HttpUrl accepts. */
export function looksLikeWebsite(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** The application's contact number (workspaces/domain.py `_PHONE`): digits, spaces, +, -, (). */
export const CONTACT_NUMBER = /^\+?[0-9][0-9 ()-]{4,29}$/;

// Errors as the console shows them: every failure becomes an RFC 9457 problem (the services'
// application/problem+json, or one made here for a network failure or a non-problem body), and
// its `errors` become messages beside the fields they name.
import type { FieldProblem, Problem } from "./types";

export const NETWORK_PROBLEM_STATUS = 0;

function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.status === "number" && typeof candidate.title === "string";
}

/** The problem of a failed response, whatever its body was. */
export function toProblem(error: unknown, response: Response | undefined): Problem {
  if (isProblem(error)) return error;
  const status = response?.status ?? NETWORK_PROBLEM_STATUS;
  const text = typeof error === "string" ? error.trim() : "";
  return {
    type: "about:blank",
    title: response?.statusText || (status === NETWORK_PROBLEM_STATUS ? "Network error" : "Error"),
    status,
    detail: text ? text.slice(0, 300) : undefined,
  };
}

export function networkProblem(cause: unknown): Problem {
  return {
    type: "about:blank",
    title: "Network error",
    status: NETWORK_PROBLEM_STATUS,
    detail: cause instanceof Error ? cause.message : undefined,
  };
}

/** The last segment of the problem type URI (`https://errors.mpp.example/email-taken` →
 * `email-taken`), which names the kind of problem independently of its wording. */
export function problemSlug(problem: Problem): string {
  const type = problem.type ?? "";
  return type.slice(type.lastIndexOf("/") + 1);
}

/** Conflicts that are about one field although the problem names no field. */
const SLUG_FIELDS: Record<string, string> = {
  "email-taken": "email",
  "name-taken": "name",
  "already-member": "email",
  "invitation-pending": "email",
};

/** The field a problem's error is about: `body.name` or `name` → `name`. */
export function fieldName(error: FieldProblem): string {
  const parts = error.field.split(".").filter((p) => p !== "body" && p !== "query");
  return parts[0] ?? error.field;
}

/** Field name → message(s) of a problem, for the fields of the form showing it; `describe`
 * says an error in the user's language (see i18n/fieldErrors.ts). */
export function fieldErrors(
  problem: Problem | null,
  fields: readonly string[],
  describe: (error: FieldProblem) => string = (error) => error.message,
): Record<string, string> {
  const found: Record<string, string> = {};
  if (!problem) return found;
  for (const error of problem.errors ?? []) {
    const name = fieldName(error);
    if (!fields.includes(name)) continue;
    const message = describe(error);
    found[name] = found[name] ? `${found[name]}; ${message}` : message;
  }
  const slugField = SLUG_FIELDS[problemSlug(problem)];
  if (slugField && fields.includes(slugField) && !found[slugField]) {
    found[slugField] = problem.detail ?? problem.title;
  }
  return found;
}

/** The problem's errors that no field of the form can show (they go in the summary). */
export function unplacedErrors(problem: Problem | null, fields: readonly string[]): FieldProblem[] {
  return (problem?.errors ?? []).filter((e) => !fields.includes(fieldName(e)));
}

// Client checks of second-factor codes (feedback only: the server decides) and the recovery
// codes as the file the user keeps.
import type { Problem } from "../../api/types";

/** Six digits, as the server's pattern takes them (`123456`, `123 456`, spaces around). */
export function looksLikeTotpCode(value: string): boolean {
  return /^\s*\d{3}\s?\d{3}\s*$/.test(value);
}

/** The length the server accepts for a recovery code (10 to 32 characters). */
export function looksLikeRecoveryCode(value: string): boolean {
  const code = value.trim();
  return code.length >= 10 && code.length <= 32;
}

/**
 * The server names `code` in an invalid-second-factor problem whichever was sent: beside the
 * recovery code field when that is the one on screen.
 */
export function secondFactorProblem(problem: Problem, field: "code" | "recovery_code"): Problem {
  if (field === "code" || !problem.errors) return problem;
  return {
    ...problem,
    errors: problem.errors.map((e) => (e.field.replace(/^body\./, "") === "code" ? { ...e, field: "recovery_code" } : e)),
  };
}

/** The text file of the recovery codes: what they are, then one code per line. */
export function recoveryCodesText(codes: readonly string[], heading: string): string {
  return [heading, "", ...codes, ""].join("\n");
}

/** The manual secret in groups of four, easier to type into an authenticator app. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

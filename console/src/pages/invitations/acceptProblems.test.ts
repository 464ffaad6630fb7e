import { describe, expect, it } from "vitest";
import workspacesDocument from "../../api/generated/workspaces.json";
import { acceptProblem, EXPLAINED_SLUGS } from "./acceptProblems";

const problem = (slug: string, status = 410) => ({ type: `https://errors.mpp.example/${slug}`, title: slug, status });

/** Every problem type the service documents for POST /v1/invitations/accept (from its OpenAPI). */
function documentedSlugs(): string[] {
  const operation = (workspacesDocument as { paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>> })
    .paths["/v1/invitations/accept"]!["post"]!;
  const slugs = Object.values(operation.responses).flatMap((r) => [...r.description.matchAll(/\(`([a-z-]+)`\)/g)].map((m) => m[1]!));
  return [...new Set(slugs)];
}

describe("the accept page explains each refusal", () => {
  it("has an explanation for every problem the service documents for accepting", () => {
    const documented = documentedSlugs();
    expect(documented).toContain("invitation-expired");
    expect(documented.filter((slug) => !EXPLAINED_SLUGS.includes(slug))).toEqual([]);
  });

  it.each([
    ["invitation-expired", "invite.accept.problem.expired"],
    ["invitation-revoked", "invite.accept.problem.revoked"],
    ["invitation-already-accepted", "invite.accept.problem.used"],
    ["invitation-email-mismatch", "invite.accept.problem.other_email"],
    ["invitation-link-replaced", "invite.accept.problem.replaced"],
  ])("%s → %s", (slug, title) => {
    expect(acceptProblem(problem(slug))?.title).toBe(title);
  });

  it("offers another account only for another email, and the console for a used link", () => {
    expect(acceptProblem(problem("invitation-email-mismatch", 403))?.switchAccount).toBe(true);
    expect(acceptProblem(problem("invitation-expired"))?.switchAccount).toBeUndefined();
    expect(acceptProblem(problem("invitation-already-accepted", 409))?.openConsole).toBe(true);
  });

  it("leaves other problems to the generic alert", () => {
    expect(acceptProblem(problem("validation-failed", 422))).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import workspacesDocument from "../../api/generated/workspaces.json";
import { acceptProblem, EXPLAINED_SLUGS, isInvitedEmail, linkProblem } from "./acceptProblems";

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

describe("the accept page reads the link before anyone signs up", () => {
  it("explains every status the preview documents but pending, as the refused accept would", () => {
    const schemas = (workspacesDocument as { components: { schemas: Record<string, { enum?: string[] }> } }).components.schemas;
    const statuses = schemas["LinkStatus"]!.enum!;
    expect(statuses).toEqual(expect.arrayContaining(["pending", "expired", "revoked", "accepted", "replaced"]));
    for (const status of statuses) {
      const explained = linkProblem(status as Parameters<typeof linkProblem>[0]);
      if (status === "pending") expect(explained).toBeNull();
      else expect(explained?.title, status).toBeDefined();
    }
    expect(linkProblem("replaced")?.title).toBe(acceptProblem(problem("invitation-link-replaced"))?.title);
    expect(linkProblem("accepted")?.openConsole).toBe(true);
  });

  it("compares the signed-in email with the invited one as the service does", () => {
    expect(isInvitedEmail("Wang.Fang@Example.com", " wang.fang@example.com")).toBe(true);
    expect(isInvitedEmail("wang.fang@example.com", "li.wei@example.com")).toBe(false);
  });
});

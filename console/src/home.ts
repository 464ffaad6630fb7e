// The page a signed-in user lands on: staff consoles by role, merchants by next_step refined by
// their current application.
import { call, workspaces } from "./api/client";
import type { Account, Application, NextStep } from "./api/types";
import { homePath, needsApplication } from "./routes";

/** The caller's latest application, or null when there is none (404). */
export async function currentApplication(): Promise<Application | null> {
  const result = await call(workspaces.GET("/v1/workspace-applications/current"));
  return result.ok ? result.data : null;
}

export async function resolveHome(account: Account, nextStep: NextStep): Promise<string> {
  const isStaff = account.roles.includes("reviewer") || account.roles.includes("admin");
  if (isStaff || !needsApplication(nextStep)) return homePath(account, nextStep);
  return homePath(account, nextStep, await currentApplication());
}

// Exports of the activity log: the whole log (with the page's filters) as CSV or JSON Lines,
// fetched with the bearer token like every call (a plain link would carry no token), then saved
// by the browser under the name the server gives.
import { call, workspaces } from "../../api/client";
import type { ActivityKind, ActivityPage, Problem } from "../../api/types";

export type ExportFormat = "csv" | "jsonl";

export interface Filters {
  kind: ActivityKind | "";
  miniProgramId: string;
}

/** The query of the page's filters (the empty choice is no filter). */
export function filterQuery(filters: Filters): { kind?: ActivityKind; mini_program_id?: string } {
  return {
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.miniProgramId ? { mini_program_id: filters.miniProgramId } : {}),
  };
}

/** The JSON page of an activity answer: the operation declares its CSV and JSON Lines answers
 * as text too, so the generated type is a union; the console asks for the JSON page, which
 * openapi-fetch parses (a text answer would be parsed here). */
export function pageOf(data: ActivityPage | string): ActivityPage {
  return typeof data === "string" ? (JSON.parse(data) as ActivityPage) : data;
}

/** The file name of a Content-Disposition header (`attachment; filename="a.csv"`), or the fallback. */
export function attachmentName(header: string | null, fallback: string): string {
  const star = header?.match(/filename\*=UTF-8''([^;]+)/i);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = header?.match(/filename="?([^";]+)"?/i);
  return plain?.[1]?.trim() || fallback;
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Download the workspace's log; the problem when the server refused. */
export async function exportActivity(workspaceId: string, format: ExportFormat, filters: Filters): Promise<Problem | null> {
  const result = await call(
    workspaces.GET("/v1/workspaces/{id}/activity", {
      params: { path: { id: workspaceId }, query: { ...filterQuery(filters), format } },
      parseAs: "blob",
    }),
  );
  if (!result.ok) return result.problem;
  const fallback = `activity-workspace-${workspaceId}.${format}`;
  save(result.data as Blob, attachmentName(result.response.headers.get("Content-Disposition"), fallback));
  return null;
}

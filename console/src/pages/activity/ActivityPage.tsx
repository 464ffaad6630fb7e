import { useCallback, useEffect, useState } from "react";
import { call, miniprograms, workspaces } from "../../api/client";
import type { ActivityEntry, ActivityKind, MiniProgram, Problem } from "../../api/types";
import { SelectField } from "../../components/Field";
import { Loading } from "../../components/Loading";
import { Notice, ProblemAlert } from "../../components/ProblemAlert";
import { useI18n } from "../../i18n";
import { useWorkspace } from "../console/ConsoleLayout";
import "./activity.css";
import { ActivityTable } from "./ActivityTable";
import { KIND_LABELS, KINDS } from "./describe";
import { exportActivity, filterQuery, pageOf, type ExportFormat, type Filters } from "./exporting";

const PAGE_SIZE = 25;

/** The workspace's activity log (any member): filters, pages newest first, CSV / JSON Lines. */
export function ActivityPage() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [filters, setFilters] = useState<Filters>({ kind: "", miniProgramId: "" });
  const [entries, setEntries] = useState<ActivityEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [programs, setPrograms] = useState<MiniProgram[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [exported, setExported] = useState<ExportFormat | null>(null);

  useEffect(() => {
    const id = workspace.id;
    void call(workspaces.GET("/v1/workspaces/{id}/members", { params: { path: { id } } })).then((r) => {
      if (r.ok) setNames(new Map(r.data.items.map((m) => [m.account_id, m.full_name])));
    });
    void call(miniprograms.GET("/v1/mini-programs", { params: { query: { workspace_id: id } } })).then((r) => {
      if (r.ok) setPrograms(r.data.items);
    });
  }, [workspace.id]);

  const load = useCallback(
    async (after: string | null) => {
      setBusy(true);
      const query = { ...filterQuery(filters), limit: PAGE_SIZE, ...(after ? { cursor: after } : {}) };
      const result = await call(workspaces.GET("/v1/workspaces/{id}/activity", { params: { path: { id: workspace.id }, query } }));
      setBusy(false);
      if (!result.ok) return setProblem(result.problem);
      setProblem(null);
      const page = pageOf(result.data);
      setEntries((shown) => [...(after && shown ? shown : []), ...page.items]);
      setCursor(page.next_cursor);
    },
    [filters, workspace.id],
  );

  useEffect(() => {
    setEntries(null);
    void load(null);
  }, [load]);

  async function download(format: ExportFormat) {
    setExported(null);
    const failed = await exportActivity(workspace.id, format, filters);
    setProblem(failed);
    if (!failed) setExported(format);
  }

  const filtered = Boolean(filters.kind || filters.miniProgramId);
  const formatName = (f: ExportFormat) => (f === "csv" ? "CSV" : "JSON Lines");

  return (
    <div className="page">
      <p className="eyebrow">{workspace.name}</p>
      <h1>{t("activity.title")}</h1>
      <p className="lead">{t("activity.lead")}</p>
      <div className="panel">
        <form className="activity-filters" role="search" aria-label={t("activity.filters")} onSubmit={(e) => e.preventDefault()}>
          <SelectField<ActivityKind | "">
            id="activity-kind"
            label={t("activity.filter.kind")}
            value={filters.kind}
            onChange={(kind) => setFilters((f) => ({ ...f, kind }))}
            options={[{ value: "", label: t("activity.filter.all_kinds") }, ...KINDS.map((k) => ({ value: k, label: t(KIND_LABELS[k]) }))]}
          />
          <SelectField<string>
            id="activity-mini-program"
            label={t("activity.filter.mini_program")}
            value={filters.miniProgramId}
            onChange={(miniProgramId) => setFilters((f) => ({ ...f, miniProgramId }))}
            options={[{ value: "", label: t("activity.filter.all_mini_programs") }, ...programs.map((mp) => ({ value: mp.id, label: mp.name }))]}
          />
          <div className="form-actions" role="group" aria-label={t("activity.export.label")}>
            <button type="button" className="button" onClick={() => void download("csv")}>
              {t("activity.export.csv")}
            </button>
            <button type="button" className="button" onClick={() => void download("jsonl")}>
              {t("activity.export.jsonl")}
            </button>
          </div>
        </form>
      </div>
      {exported ? <Notice kind="success">{t("activity.exported", { format: formatName(exported) })}</Notice> : null}
      <ProblemAlert problem={problem} />
      {entries === null && !problem ? <Loading /> : null}
      {entries && entries.length === 0 ? (
        <div className="empty">
          <p>{filtered ? t("activity.empty_filtered") : t("activity.empty")}</p>
        </div>
      ) : null}
      {entries && entries.length > 0 ? <ActivityTable entries={entries} names={names} caption={t("activity.caption", { workspace: workspace.name })} /> : null}
      {cursor ? (
        <button type="button" className="button" disabled={busy} onClick={() => void load(cursor)}>
          {busy ? t("common.loading") : t("common.load_more")}
        </button>
      ) : null}
    </div>
  );
}

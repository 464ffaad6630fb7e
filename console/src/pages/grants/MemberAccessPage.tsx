import { useCallback, useEffect, useState } from "react";
import { Link, Navigate, useParams } from "react-router";
import { call, miniprograms, workspaces } from "../../api/client";
import type { Member, MiniProgram, Problem } from "../../api/types";
import { Loading } from "../../components/Loading";
import { Notice, ProblemAlert } from "../../components/ProblemAlert";
import { useI18n } from "../../i18n";
import { workspacePaths } from "../../routes";
import { useWorkspace } from "../console/ConsoleLayout";
import { ROLE_LABELS } from "../console/workspaces/WorkspacesPage";
import { AccessTable } from "./AccessTable";
import { canGrant, loadGrantedTo, setAccess } from "./grants";

interface Loaded {
  member: Member | null;
  items: MiniProgram[];
  granted: Set<string>;
}

/** A member of the workspace and, for a developer, the mini programs they may work on. */
export function MemberAccessPage() {
  const { t, formatDate } = useI18n();
  const workspace = useWorkspace();
  const { accountId = "" } = useParams();
  const paths = workspacePaths(workspace.id);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    const [members, list] = await Promise.all([
      call(workspaces.GET("/v1/workspaces/{id}/members", { params: { path: { id: workspace.id } } })),
      call(miniprograms.GET("/v1/mini-programs", { params: { query: { workspace_id: workspace.id } } })),
    ]);
    if (!members.ok) return setProblem(members.problem);
    if (!list.ok) return setProblem(list.problem);
    const member = members.data.items.find((m) => m.account_id === accountId) ?? null;
    if (member?.role !== "developer") return setLoaded({ member, items: list.data.items, granted: new Set() });
    const granted = await loadGrantedTo(workspace.id, accountId);
    if (!granted.ok) return setProblem(granted.problem);
    setLoaded({ member, items: list.data.items, granted: granted.ids });
  }, [accountId, workspace.id]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!canGrant(workspace.my_role)) return <Navigate to={paths.members} replace />;
  const member = loaded?.member;

  let body = null;
  if (loaded && !member) body = <Notice kind="warning">{t("grants.member.not_found")}</Notice>;
  else if (member && member.role !== "developer") body = <Notice>{t("grants.member.sees_all", { role: t(ROLE_LABELS[member.role]) })}</Notice>;
  else if (member && loaded.items.length === 0) body = <div className="empty"><p>{t("grants.member.no_mini_programs")}</p></div>;
  else if (member && loaded) {
    body = (
      <AccessTable
        caption={t("grants.member.caption", { name: member.full_name })}
        headers={[t("mp.name")]}
        items={loaded.items.map((mp) => ({
          key: mp.id,
          name: mp.name,
          cells: [
            <>
              <strong>{mp.name}</strong>
              <div className="muted">{mp.tagline}</div>
            </>,
          ],
          granted: loaded.granted.has(mp.id),
        }))}
        onChange={async (item, granted) => {
          const failed = await setAccess(item.key, accountId, granted);
          await load();
          return failed;
        }}
        changed={(item, granted) => ({ key: granted ? "grants.given" : "grants.taken", vars: { who: member.full_name, what: item.name } })}
      />
    );
  }

  return (
    <div className="page">
      <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
        <Link to={paths.members}>{t("members.title")}</Link> / <span aria-current="page">{member?.full_name ?? t("grants.member.heading")}</span>
      </nav>
      <h1>{member ? member.full_name : t("grants.member.heading")}</h1>
      {member ? (
        <p className="lead">
          {member.email} · {t(ROLE_LABELS[member.role])} · {t("grants.member.since", { date: formatDate(member.added_at) })}
        </p>
      ) : null}
      <ProblemAlert problem={problem} />
      {!loaded && !problem ? <Loading /> : null}
      {member?.role === "developer" ? <h2>{t("grants.member.title")}</h2> : null}
      {member?.role === "developer" ? <p className="muted">{t("grants.member.lead")}</p> : null}
      {body}
    </div>
  );
}

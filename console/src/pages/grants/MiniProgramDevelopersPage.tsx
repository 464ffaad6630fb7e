import { useCallback, useEffect, useState } from "react";
import { Link, Navigate, useParams } from "react-router";
import { call, miniprograms, workspaces } from "../../api/client";
import type { Member, MiniProgram, Problem } from "../../api/types";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useI18n } from "../../i18n";
import { workspacePaths } from "../../routes";
import { useWorkspace } from "../console/ConsoleLayout";
import { AccessTable } from "./AccessTable";
import { canGrant, developerRows, loadDevelopers, setAccess } from "./grants";

interface Loaded {
  mp: MiniProgram;
  members: Member[];
  granted: Set<string>;
}

/** A mini program's developers: the owner and masters grant each developer access or take it away. */
export function MiniProgramDevelopersPage() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const { miniProgramId = "" } = useParams();
  const paths = workspacePaths(workspace.id);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    const [mp, members, developers] = await Promise.all([
      call(miniprograms.GET("/v1/mini-programs/{id}", { params: { path: { id: miniProgramId } } })),
      call(workspaces.GET("/v1/workspaces/{id}/members", { params: { path: { id: workspace.id } } })),
      loadDevelopers(miniProgramId),
    ]);
    if (!mp.ok) return setProblem(mp.problem);
    if (!members.ok) return setProblem(members.problem);
    if (!developers.ok) return setProblem(developers.problem);
    setLoaded({ mp: mp.data, members: members.data.items, granted: developers.ids });
  }, [miniProgramId, workspace.id]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!canGrant(workspace.my_role)) return <Navigate to={paths.miniPrograms} replace />;
  const rows = loaded ? developerRows(loaded.members, loaded.granted) : [];
  const name = loaded?.mp.name ?? "";

  return (
    <div className="page">
      <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
        <Link to={paths.miniPrograms}>{t("mp.list.title")}</Link> / <span aria-current="page">{name || t("grants.mp.heading")}</span>
      </nav>
      <h1>{loaded ? t("grants.mp.title", { name }) : t("grants.mp.heading")}</h1>
      <p className="lead">{t("grants.mp.lead")}</p>
      <ProblemAlert problem={problem} />
      {!loaded && !problem ? <Loading /> : null}
      {loaded && rows.length === 0 ? (
        <div className="empty">
          <p>{t("grants.mp.no_developers")}</p>
          <Link to={paths.members}>{t("grants.mp.invite")}</Link>
        </div>
      ) : null}
      {loaded && rows.length > 0 ? (
        <AccessTable
          caption={t("grants.mp.title", { name })}
          headers={[t("members.name"), t("members.email")]}
          items={rows.map(({ member, granted }) => ({
            key: member.account_id,
            name: member.full_name,
            cells: [<Link key="name" to={paths.member(member.account_id)}>{member.full_name}</Link>, member.email],
            granted,
          }))}
          onChange={async (item, granted) => {
            const failed = await setAccess(miniProgramId, item.key, granted);
            await load();
            return failed;
          }}
          changed={(item, granted) => ({ key: granted ? "grants.given" : "grants.taken", vars: { who: item.name, what: name } })}
        />
      ) : null}
    </div>
  );
}

import { useEffect, useState } from "react";
import { Link, useLocation } from "react-router";
import { call, miniprograms } from "../../../../api/client";
import type { MiniProgram, Problem, Quota } from "../../../../api/types";
import { BlobImage } from "../../../../components/BlobImage";
import { Loading } from "../../../../components/Loading";
import { Notice, ProblemAlert } from "../../../../components/ProblemAlert";
import { industryName, useIndustryCatalogue } from "../../../../components/useIndustries";
import { useI18n } from "../../../../i18n";
import { workspacePaths } from "../../../../routes";
import { useWorkspace } from "../../ConsoleLayout";
import { ROLE_LABELS } from "../../workspaces/WorkspacesPage";
import { loadMiniProgramLogo } from "../logo";

export function canCreate(role: string): boolean {
  return role === "owner" || role === "master";
}

export function QuotaMeter({ quota }: { quota: Quota }) {
  const { t } = useI18n();
  const full = quota.used >= quota.limit;
  return (
    <div className={`quota${full ? " quota--full" : ""}`}>
      <span className="quota__text">{t("mp.quota", { used: quota.used, limit: quota.limit })}</span>
      <progress className="quota__bar" max={quota.limit} value={quota.used} aria-label={t("mp.quota", { used: quota.used, limit: quota.limit })} />
    </div>
  );
}

/** Manage Mini Program: the workspace's mini programs, the quota, create and modify. */
export function MiniProgramsPage() {
  const { t, language, formatDateTime } = useI18n();
  const workspace = useWorkspace();
  const location = useLocation();
  const industries = useIndustryCatalogue();
  const [items, setItems] = useState<MiniProgram[] | null>(null);
  const [quota, setQuota] = useState<Quota | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const saved = (location.state as { saved?: string } | null)?.saved;
  const joined = (location.state as { joined?: string } | null)?.joined; // from an accepted invitation
  const paths = workspacePaths(workspace.id);

  useEffect(() => {
    setItems(null);
    void call(miniprograms.GET("/v1/mini-programs", { params: { query: { workspace_id: workspace.id } } })).then((result) => {
      if (!result.ok) return setProblem(result.problem);
      setProblem(null);
      setItems(result.data.items);
      setQuota(result.data.quota);
    });
  }, [workspace.id]);

  const creator = canCreate(workspace.my_role);
  const full = quota !== null && quota.used >= quota.limit;

  return (
    <div className="page">
      <div className="page__header">
        <div>
          <p className="eyebrow">{workspace.name}</p>
          <h1>{t("mp.list.title")}</h1>
        </div>
        <div className="page__actions">
          {quota ? <QuotaMeter quota={quota} /> : null}
          {creator ? (
            <Link to={paths.createMiniProgram} className="button button--primary">
              {t("mp.list.create")}
            </Link>
          ) : null}
        </div>
      </div>
      {saved ? <Notice kind="success">{t("mp.list.saved", { name: saved })}</Notice> : null}
      {joined ? <Notice kind="success">{t("invite.joined", { workspace: joined, role: t(ROLE_LABELS[workspace.my_role]) })}</Notice> : null}
      {creator && full ? <Notice kind="warning">{t("mp.list.full", { limit: quota.limit })}</Notice> : null}
      {!creator ? <Notice>{t("mp.list.developer_notice")}</Notice> : null}
      <ProblemAlert problem={problem} />
      {items === null && !problem ? <Loading /> : null}
      {items && items.length === 0 ? (
        <div className="empty">
          <p>{creator ? t("mp.list.empty") : t("mp.list.empty_developer")}</p>
        </div>
      ) : null}
      {items && items.length > 0 ? (
        <table className="table">
          <caption className="visually-hidden">{t("mp.list.caption", { workspace: workspace.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("mp.logo")}</th>
              <th scope="col">{t("mp.name")}</th>
              <th scope="col">{t("mp.industry")}</th>
              <th scope="col">{t("mp.target")}</th>
              <th scope="col">{t("mp.language")}</th>
              <th scope="col">{t("mp.list.updated")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("mp.list.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((mp) => (
              <tr key={mp.id}>
                <td>
                  <BlobImage load={() => loadMiniProgramLogo(mp.id)} cacheKey={`${mp.id}:${mp.updated_at}`} alt={t("mp.logo_alt", { name: mp.name })} size={40} />
                </td>
                <td>
                  <strong>{mp.name}</strong>
                  <div className="muted">{mp.tagline}</div>
                </td>
                <td>{industryName(industries.get(mp.industry), language) ?? mp.industry}</td>
                <td>{t("mp.target.alipay_cn")}</td>
                <td>{t("mp.language.zh")}</td>
                <td>{formatDateTime(mp.updated_at)}</td>
                <td>
                  <Link to={paths.editMiniProgram(mp.id)} className="button button--small" aria-label={t("mp.list.modify_named", { name: mp.name })}>
                    {t("mp.list.modify")}
                  </Link>
                  {creator ? (
                    <>
                      {" "}
                      <Link to={paths.miniProgramDevelopers(mp.id)} className="button button--small" aria-label={t("grants.mp.link_named", { name: mp.name })}>
                        {t("grants.mp.link")}
                      </Link>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

import { Link } from "react-router";
import { workspaces as workspacesApi } from "../../../api/client";
import type { Workspace } from "../../../api/types";
import { BlobImage } from "../../../components/BlobImage";
import { useI18n, type MessageKey } from "../../../i18n";
import { PATHS, workspacePaths } from "../../../routes";
import { useConsole } from "../ConsoleLayout";

export const ROLE_LABELS: Record<Workspace["my_role"], MessageKey> = {
  owner: "role.owner",
  master: "role.master",
  developer: "role.developer",
};

export function WorkspaceLogo({ workspace, size = 40 }: { workspace: Workspace; size?: number }) {
  const { t } = useI18n();
  return (
    <BlobImage
      cacheKey={workspace.id}
      size={size}
      alt={t("console.workspace_logo_alt", { name: workspace.name })}
      load={async () => {
        const { data, response } = await workspacesApi.GET("/v1/workspaces/{id}/logo", {
          params: { path: { id: workspace.id } },
          parseAs: "blob",
        });
        return response.ok && data ? data : null;
      }}
    />
  );
}

/** All workspaces the caller belongs to, to switch between them. */
export function WorkspacesPage() {
  const { t, formatDate } = useI18n();
  const { workspaces } = useConsole();
  return (
    <div className="page">
      <h1>{t("console.workspaces.title")}</h1>
      {workspaces.length === 0 ? (
        <div className="empty">
          <p>{t("console.workspaces.empty")}</p>
          <Link className="button button--primary" to={PATHS.applyRole}>
            {t("console.workspaces.apply")}
          </Link>
        </div>
      ) : (
        <ul className="workspace-list">
          {workspaces.map((w) => (
            <li key={w.id} className="workspace-card">
              <WorkspaceLogo workspace={w} size={48} />
              <div className="workspace-card__text">
                <Link to={workspacePaths(w.id).miniPrograms} className="workspace-card__name">
                  {w.name}
                </Link>
                <span className="muted">
                  {t(ROLE_LABELS[w.my_role])} · {w.status === "active" ? t("console.workspaces.active") : t("console.workspaces.provisioning")} ·{" "}
                  {t("console.workspaces.since", { date: formatDate(w.created_at) })}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

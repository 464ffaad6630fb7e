import { Link, Navigate, useNavigate, useParams } from "react-router";
import { useI18n } from "../../../../i18n";
import { workspacePaths } from "../../../../routes";
import { useWorkspace } from "../../ConsoleLayout";
import { MiniProgramForm } from "../form/MiniProgramForm";
import { canCreate } from "../list/MiniProgramsPage";
import { TARGET_ALIPAY_CN } from "../logo";

export function CreateMiniProgramPage() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const { target } = useParams();
  const navigate = useNavigate();
  const paths = workspacePaths(workspace.id);
  if (!canCreate(workspace.my_role)) return <Navigate to={paths.miniPrograms} replace />;
  if (target !== TARGET_ALIPAY_CN) return <Navigate to={paths.createMiniProgram} replace />;
  return (
    <div className="page">
      <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
        <Link to={paths.miniPrograms}>{t("mp.list.title")}</Link> / <Link to={paths.createMiniProgram}>{t("mp.create.title")}</Link> /{" "}
        <span aria-current="page">{t("mp.target.alipay_cn")}</span>
      </nav>
      <h1>{t("mp.form.create_title")}</h1>
      <MiniProgramForm
        workspaceId={workspace.id}
        onCancel={() => navigate(paths.miniPrograms)}
        onSaved={(saved) => navigate(paths.miniPrograms, { state: { saved: saved.name } })}
      />
    </div>
  );
}

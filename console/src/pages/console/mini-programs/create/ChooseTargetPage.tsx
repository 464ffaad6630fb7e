import { Link, Navigate } from "react-router";
import { useI18n } from "../../../../i18n";
import { workspacePaths } from "../../../../routes";
import { useWorkspace } from "../../ConsoleLayout";
import { canCreate } from "../list/MiniProgramsPage";
import { TARGET_ALIPAY_CN } from "../logo";

/** + Create Mini Program, first: where it will be released (Alipay China). */
export function ChooseTargetPage() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const paths = workspacePaths(workspace.id);
  if (!canCreate(workspace.my_role)) return <Navigate to={paths.miniPrograms} replace />;
  return (
    <div className="page">
      <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
        <Link to={paths.miniPrograms}>{t("mp.list.title")}</Link> / <span aria-current="page">{t("mp.create.title")}</span>
      </nav>
      <h1>{t("mp.create.title")}</h1>
      <p className="lead">{t("mp.create.lead")}</p>
      <div className="choice-grid">
        <article className="choice-card" aria-labelledby="target-alipay">
          <div className="choice-card__icon choice-card__icon--alipay" aria-hidden="true">
            支
          </div>
          <h2 id="target-alipay" className="choice-card__title">
            {t("mp.target.alipay_cn")}
          </h2>
          <p className="choice-card__text">{t("mp.create.alipay_text")}</p>
          <Link to={paths.miniProgramForm(TARGET_ALIPAY_CN)} className="button button--primary" aria-describedby="target-alipay">
            {t("apply.role.select")}
          </Link>
        </article>
      </div>
    </div>
  );
}

import { useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { call, miniprograms } from "../../../../api/client";
import type { MiniProgram, Problem } from "../../../../api/types";
import { Loading } from "../../../../components/Loading";
import { ProblemAlert } from "../../../../components/ProblemAlert";
import { useI18n } from "../../../../i18n";
import { workspacePaths } from "../../../../routes";
import { useWorkspace } from "../../ConsoleLayout";
import { MiniProgramForm } from "../form/MiniProgramForm";
import { loadMiniProgramLogo } from "../logo";

/** Modify: every field is required again; the current logo is sent again unless replaced. */
export function EditMiniProgramPage() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const { miniProgramId = "" } = useParams();
  const navigate = useNavigate();
  const paths = workspacePaths(workspace.id);
  const [loaded, setLoaded] = useState<{ mp: MiniProgram; logo: Blob | null } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    void (async () => {
      const result = await call(miniprograms.GET("/v1/mini-programs/{id}", { params: { path: { id: miniProgramId } } }));
      if (!result.ok) return setProblem(result.problem);
      setLoaded({ mp: result.data, logo: await loadMiniProgramLogo(miniProgramId) });
    })();
  }, [miniProgramId]);

  return (
    <div className="page">
      <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
        <Link to={paths.miniPrograms}>{t("mp.list.title")}</Link> / <span aria-current="page">{loaded?.mp.name ?? t("mp.form.edit_title")}</span>
      </nav>
      <h1>{t("mp.form.edit_title")}</h1>
      <ProblemAlert problem={problem} />
      {!loaded && !problem ? <Loading /> : null}
      {loaded ? (
        <>
          <p className="lead">{t("mp.form.edit_lead")}</p>
          <MiniProgramForm
            workspaceId={workspace.id}
            existing={loaded.mp}
            existingLogo={loaded.logo}
            onCancel={() => navigate(paths.miniPrograms)}
            onSaved={(saved) => navigate(paths.miniPrograms, { state: { saved: saved.name } })}
          />
        </>
      ) : null}
    </div>
  );
}

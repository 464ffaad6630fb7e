import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { call, workspaces } from "../../../api/client";
import type { Problem } from "../../../api/types";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useI18n, type MessageKey } from "../../../i18n";
import { PATHS } from "../../../routes";
import { useApply } from "../ApplyLayout";
import { TECHNICAL_MERCHANT } from "../role/RolePage";
import { ApplicationLogo } from "../shared";

/** Step 3 and 4: everything as it will be sent, then Submit Application. */
export function ReviewPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { application, setApplication, saveDraft } = useApply();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  if (!application) return null;

  async function previous() {
    setBusy(true);
    const result = await saveDraft({ step: "business_details" });
    setBusy(false);
    if (!result.ok) return setProblem(result.problem);
    navigate(PATHS.applyDetails);
  }

  async function submit() {
    setBusy(true);
    const result = await call(workspaces.POST("/v1/workspace-applications/draft/submit"));
    setBusy(false);
    if (!result.ok) return setProblem(result.problem);
    setApplication(result.data);
    navigate(PATHS.applyStatus);
  }

  const none = <span className="muted">{t("common.not_provided")}</span>;
  const rows: ReadonlyArray<{ label: MessageKey; value: React.ReactNode; edit: string }> = [
    {
      label: "apply.review.role",
      value: application.role === TECHNICAL_MERCHANT ? t("apply.role.technical_merchant") : none,
      edit: PATHS.applyRole,
    },
    { label: "apply.details.company_name", value: application.company_name || none, edit: PATHS.applyDetails },
    { label: "apply.details.logo", value: <ApplicationLogo application={application} size={64} />, edit: PATHS.applyDetails },
    { label: "apply.details.website", value: application.website || none, edit: PATHS.applyDetails },
    { label: "apply.details.contact_number", value: application.contact_number || none, edit: PATHS.applyDetails },
    { label: "apply.details.contact_email", value: application.contact_email || none, edit: PATHS.applyDetails },
  ];

  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">{t("apply.review.title")}</h1>
      <p className="lead">{t("apply.review.lead")}</p>
      <ProblemAlert problem={problem} unplaced={problem?.errors ?? []} />
      <dl className="summary">
        {rows.map((row) => (
          <div className="summary__row" key={row.label}>
            <dt>{t(row.label)}</dt>
            <dd>{row.value}</dd>
            <dd className="summary__edit">
              <Link to={row.edit} aria-label={t("apply.review.edit_field", { field: t(row.label) })}>
                {t("common.edit")}
              </Link>
            </dd>
          </div>
        ))}
      </dl>
      <p className="field__hint">{t("apply.review.decision_notice")}</p>
      <div className="form-actions">
        <button type="button" className="button" onClick={previous} disabled={busy}>
          {t("apply.previous_step")}
        </button>
        <button type="button" className="button button--primary" onClick={submit} disabled={busy}>
          {busy ? t("apply.review.submitting") : t("apply.review.submit")}
        </button>
      </div>
    </section>
  );
}

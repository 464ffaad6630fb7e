import { useState } from "react";
import { useNavigate } from "react-router";
import type { Problem } from "../../../api/types";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useI18n } from "../../../i18n";
import { PATHS } from "../../../routes";
import { useApply } from "../ApplyLayout";

export const TECHNICAL_MERCHANT = "technical_merchant";

/** Step 1: the Technical Merchant choice card. */
export function RolePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { application, saveDraft } = useApply();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = application?.role === TECHNICAL_MERCHANT;

  async function select() {
    setBusy(true);
    const result = await saveDraft({ role: TECHNICAL_MERCHANT, step: "business_details" });
    setBusy(false);
    if (!result.ok) return setProblem(result.problem);
    navigate(PATHS.applyDetails);
  }

  return (
    <section aria-labelledby="role-title">
      <h1 id="role-title">{t("apply.role.title")}</h1>
      <p className="lead">{t("apply.role.lead")}</p>
      {application?.previous_application_id ? (
        <p className="alert alert--info">{t("apply.prefilled_notice")}</p>
      ) : null}
      <ProblemAlert problem={problem} />
      <div className="choice-grid">
        <article className={`choice-card${chosen ? " choice-card--selected" : ""}`} aria-labelledby="role-tm">
          <div className="choice-card__icon" aria-hidden="true">
            {"</>"}
          </div>
          <h2 id="role-tm" className="choice-card__title">
            {t("apply.role.technical_merchant")}
            {chosen ? <span className="badge badge--selected">{t("apply.role.selected")}</span> : null}
          </h2>
          <p className="choice-card__text">{t("apply.role.technical_merchant_text")}</p>
          <ul className="choice-card__points">
            <li>{t("apply.role.point1")}</li>
            <li>{t("apply.role.point2")}</li>
            <li>{t("apply.role.point3")}</li>
          </ul>
          <button
            type="button"
            className="button button--primary"
            onClick={select}
            disabled={busy}
            aria-describedby="role-tm"
          >
            {t("apply.role.select")}
          </button>
        </article>
      </div>
    </section>
  );
}

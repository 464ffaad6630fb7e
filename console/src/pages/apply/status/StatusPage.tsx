import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { call, workspaces } from "../../../api/client";
import { updateNextStep } from "../../../api/session";
import type { Application, Problem } from "../../../api/types";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useI18n } from "../../../i18n";
import { PATHS, workspacePaths } from "../../../routes";
import { ApplicationHistory } from "../../activity/ApplicationHistory";
import { useApply } from "../ApplyLayout";

/** How often the status page asks again while a decision or the workspace is pending. */
const REVIEW_POLL_MS = 15_000;
const PROVISIONING_POLL_MS = 2_000;

function usePoll(active: boolean, everyMs: number, tick: () => Promise<void>) {
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const loop = async () => {
      await tick();
      if (!stopped) timer = setTimeout(loop, everyMs);
    };
    timer = setTimeout(loop, everyMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, everyMs]);
}

function UnderReview({ application }: { application: Application }) {
  const { t, formatDate, formatDateTime } = useI18n();
  return (
    <>
      <div className="status-hero status-hero--pending">
        <span className="status-hero__icon" aria-hidden="true">
          <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <circle cx="12" cy="12" r="9" />
            <path d="M12 7v5l3 2" />
          </svg>
        </span>
        <div>
          <h1>{t("apply.status.under_review.title")}</h1>
          <p>{t("apply.status.under_review.text", { company: application.company_name ?? "" })}</p>
        </div>
      </div>
      <dl className="summary">
        <div className="summary__row">
          <dt>{t("apply.status.submitted_at")}</dt>
          <dd>{formatDateTime(application.submitted_at)}</dd>
        </div>
        <div className="summary__row">
          <dt>{t("apply.status.expected_decision_by")}</dt>
          <dd>
            <strong>{formatDate(application.expected_decision_by)}</strong>
          </dd>
        </div>
      </dl>
      <p className="field__hint">{t("apply.status.under_review.mail")}</p>
    </>
  );
}

function Rejected({ application }: { application: Application }) {
  const { t, formatDateTime } = useI18n();
  const navigate = useNavigate();
  const { saveDraft } = useApply();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function startAgain() {
    setBusy(true);
    // The first save after a rejection opens a new draft prefilled from the rejected one.
    const result = await saveDraft({ step: "role" });
    setBusy(false);
    if (!result.ok) return setProblem(result.problem);
    navigate(PATHS.applyRole);
  }

  return (
    <>
      <div className="status-hero status-hero--rejected">
        <span className="status-hero__icon" aria-hidden="true">
          ✕
        </span>
        <div>
          <h1>{t("apply.status.rejected.title")}</h1>
          <p>{t("apply.status.rejected.text", { company: application.company_name ?? "" })}</p>
        </div>
      </div>
      <section className="reason" aria-labelledby="reason-title">
        <h2 id="reason-title">{t("apply.status.rejected.reason")}</h2>
        <blockquote>{application.rejection_reason ?? t("common.not_provided")}</blockquote>
        <p className="muted">{t("apply.status.decided_at", { when: formatDateTime(application.decision?.reviewed_at) })}</p>
      </section>
      <ProblemAlert problem={problem} />
      <p>{t("apply.status.rejected.again_text")}</p>
      <button type="button" className="button button--primary" onClick={startAgain} disabled={busy}>
        {t("apply.status.rejected.again")}
      </button>
    </>
  );
}

function SettingUp({ application }: { application: Application }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<Problem | null>(null);

  const check = async () => {
    const result = await call(workspaces.GET("/v1/workspaces"));
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    const ready = result.data.items.find(
      (w) => w.status === "active" && (!application.workspace_id || w.id === application.workspace_id),
    );
    if (ready) {
      updateNextStep("workspace_ready");
      navigate(workspacePaths(ready.id).miniPrograms, { replace: true });
    }
  };
  useEffect(() => {
    void check();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  usePoll(true, PROVISIONING_POLL_MS, check);

  return (
    <>
      <div className="status-hero status-hero--approved">
        <span className="status-hero__icon" aria-hidden="true">
          ✓
        </span>
        <div>
          <h1>{t("apply.status.approved.title")}</h1>
          <p>{t("apply.status.approved.text", { company: application.company_name ?? "" })}</p>
        </div>
      </div>
      <Loading label={t("apply.status.approved.setting_up")} />
      <ProblemAlert problem={problem} />
    </>
  );
}

/** After submission: under review (with the expected decision date), rejected (with the reason
 * and a new application), or approved (while the workspace is being set up). */
export function StatusPage() {
  const { application, setApplication } = useApply();
  const reviewing = application?.status === "under_review";
  usePoll(reviewing, REVIEW_POLL_MS, async () => {
    const result = await call(workspaces.GET("/v1/workspace-applications/current"));
    if (result.ok) setApplication(result.data);
  });
  if (!application || application.status === "draft") return null; // ApplyLayout sends a draft back to its step
  return (
    <>
      <StatusOf application={application} />
      <ApplicationHistory applicationId={application.id} status={application.status} />
    </>
  );
}

function StatusOf({ application }: { application: Application }) {
  switch (application.status) {
    case "under_review":
      return <UnderReview application={application} />;
    case "rejected":
      return <Rejected application={application} />;
    case "approved":
      return <SettingUp application={application} />;
    case "draft":
      return null;
  }
}

import { useEffect, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { storedLogoColor } from "../../../api/escape";
import { call, workspaces } from "../../../api/client";
import { problemSlug } from "../../../api/problem";
import type { Application, Problem } from "../../../api/types";
import { EmailVerifiedBadge } from "../../../components/EmailVerifiedBadge";
import { BlobImage } from "../../../components/BlobImage";
import { DefaultLogo } from "../../../components/DefaultLogo";
import { TextAreaField } from "../../../components/Field";
import { AppShell } from "../../../components/Layout";
import { Loading } from "../../../components/Loading";
import { Notice, ProblemAlert } from "../../../components/ProblemAlert";
import { useFormErrors } from "../../../components/useFormErrors";
import { useI18n } from "../../../i18n";
import { PATHS } from "../../../routes";
import { defaultLogoColor } from "../../../rules/defaultLogo";
import { REVIEW_STATUS_LABELS } from "../queue/QueuePage";

const FIELDS = ["reason", "decision"] as const;
type Field = (typeof FIELDS)[number];
const REASON_MAX = 1000;

function Logo({ application }: { application: Application }) {
  const { t } = useI18n();
  const name = application.company_name ?? "";
  const fallback = (
    <figure className="default-logo">
      <DefaultLogo name={name} color={defaultLogoColor(storedLogoColor(application), application.id)} size={128} label={t("apply.details.default_logo_alt", { initial: Array.from(name)[0] ?? "?" })} />
      <figcaption>{t("review.no_logo")}</figcaption>
    </figure>
  );
  if (!application.logo_url) return fallback;
  return (
    <BlobImage
      cacheKey={application.id}
      size={128}
      alt={t("review.logo_alt", { company: name })}
      fallback={fallback}
      load={async () => {
        const { data, response } = await workspaces.GET("/v1/review/applications/{id}/logo", {
          params: { path: { id: application.id } },
          parseAs: "blob",
        });
        return response.ok && data ? data : null;
      }}
    />
  );
}

/** One application: its details and logo, approve, or reject with a reason. */
export function DetailPage() {
  const { t, formatDateTime, formatDate } = useI18n();
  const { applicationId = "" } = useParams();
  const form = useFormErrors<Field>("decision", FIELDS);
  const [application, setApplication] = useState<Application | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [decided, setDecided] = useState<"approve" | "reject" | null>(null);

  const load = async () => {
    const result = await call(workspaces.GET("/v1/review/applications/{id}", { params: { path: { id: applicationId } } }));
    if (result.ok) setApplication(result.data);
    else setLoadProblem(result.problem);
  };

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [applicationId]);

  async function decide(decision: "approve" | "reject") {
    if (decision === "reject" && form.check(reason.trim() ? {} : { reason: t("review.error.reason") })) return;
    setBusy(true);
    const body = decision === "reject" ? { decision, reason: reason.trim() } : { decision, reason: reason.trim() || null };
    const result = await call(workspaces.POST("/v1/review/applications/{id}/decision", { params: { path: { id: applicationId } }, body }));
    setBusy(false);
    if (!result.ok) {
      form.fail(result.problem);
      // Someone decided first: show what they decided.
      if (problemSlug(result.problem) === "already-decided") await load();
      return;
    }
    form.reset();
    setApplication(result.data);
    setDecided(decision);
  }

  const conflict = form.problem !== null && problemSlug(form.problem) === "already-decided";
  let content;
  if (loadProblem) content = <ProblemAlert problem={loadProblem} />;
  else if (!application) content = <Loading />;
  else {
    const none = <span className="muted">{t("common.not_provided")}</span>;
    const open = application.status === "under_review";
    content = (
      <>
        <div className="page__header">
          <div>
            <p className="eyebrow">{t(REVIEW_STATUS_LABELS[application.status === "draft" ? "under_review" : application.status])}</p>
            <h1>{application.company_name}</h1>
          </div>
        </div>
        {decided ? <Notice kind="success">{decided === "approve" ? t("review.approved_notice") : t("review.rejected_notice")}</Notice> : null}
        <div className="review-layout">
          <section className="panel" aria-labelledby="details-title">
            <h2 id="details-title">{t("review.details")}</h2>
            <dl className="summary">
              <div className="summary__row">
                <dt>{t("review.applicant")}</dt>
                <dd>
                  {application.applicant?.full_name} &lt;{application.applicant?.email}&gt;{" "}
                  <EmailVerifiedBadge verified={application.applicant?.email_verified} />
                </dd>
              </div>
              <div className="summary__row">
                <dt>{t("apply.review.role")}</dt>
                <dd>{application.role === "technical_merchant" ? t("apply.role.technical_merchant") : (application.role ?? none)}</dd>
              </div>
              <div className="summary__row">
                <dt>{t("apply.details.website")}</dt>
                <dd>{application.website ? <a href={application.website} target="_blank" rel="noopener noreferrer nofollow">{application.website}</a> : none}</dd>
              </div>
              <div className="summary__row">
                <dt>{t("apply.details.contact_number")}</dt>
                <dd>{application.contact_number || none}</dd>
              </div>
              <div className="summary__row">
                <dt>{t("apply.details.contact_email")}</dt>
                <dd>{application.contact_email || none}</dd>
              </div>
              <div className="summary__row">
                <dt>{t("apply.status.submitted_at")}</dt>
                <dd>{formatDateTime(application.submitted_at)}</dd>
              </div>
              <div className="summary__row">
                <dt>{t("apply.status.expected_decision_by")}</dt>
                <dd>{formatDate(application.expected_decision_by)}</dd>
              </div>
              {application.previous_application_id ? (
                <div className="summary__row">
                  <dt>{t("review.previous")}</dt>
                  <dd>
                    <Link to={`/review/${encodeURIComponent(application.previous_application_id)}`}>{t("review.previous_link")}</Link>
                  </dd>
                </div>
              ) : null}
              {application.decision ? (
                <div className="summary__row">
                  <dt>{t("review.decision")}</dt>
                  <dd>
                    {application.decision.decision === "approve" ? t("review.status.approved") : t("review.status.rejected")} ·{" "}
                    {formatDateTime(application.decision.reviewed_at)}
                    {application.decision.reason ? <blockquote>{application.decision.reason}</blockquote> : null}
                  </dd>
                </div>
              ) : null}
            </dl>
          </section>
          <section className="panel" aria-labelledby="logo-title">
            <h2 id="logo-title">{t("apply.details.logo")}</h2>
            <Logo application={application} />
          </section>
        </div>
        <section className="panel" aria-labelledby="decide-title">
          <h2 id="decide-title">{t("review.decide")}</h2>
          <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
          {conflict ? <p>{t("review.conflict_help")}</p> : null}
          {open ? (
            <form noValidate onSubmit={(e: FormEvent) => e.preventDefault()}>
              <TextAreaField
                id={form.idOf("reason")}
                label={t("review.reason")}
                hint={t("review.reason_hint", { max: REASON_MAX })}
                rows={4}
                maxLength={REASON_MAX}
                value={reason}
                onChange={(v) => {
                  setReason(v);
                  form.edit("reason");
                }}
                error={form.errors.reason}
              />
              <div className="form-actions">
                <button type="button" className="button button--danger" disabled={busy} onClick={() => void decide("reject")}>
                  {t("review.reject")}
                </button>
                <button type="button" className="button button--primary" disabled={busy} onClick={() => void decide("approve")}>
                  {t("review.approve")}
                </button>
              </div>
            </form>
          ) : (
            <p className="muted">{t("review.already_decided_text")}</p>
          )}
        </section>
      </>
    );
  }

  return (
    <AppShell>
      <div className="page">
        <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
          <Link to={PATHS.reviewQueue}>{t("review.queue.title")}</Link> / <span aria-current="page">{application?.company_name ?? "…"}</span>
        </nav>
        {content}
      </div>
    </AppShell>
  );
}

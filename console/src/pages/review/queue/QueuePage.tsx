import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { call, workspaces } from "../../../api/client";
import type { Application, Problem, ReviewStatus } from "../../../api/types";
import { EmailVerifiedBadge } from "../../../components/EmailVerifiedBadge";
import { AppShell } from "../../../components/Layout";
import { Loading } from "../../../components/Loading";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useI18n, type MessageKey } from "../../../i18n";
import { reviewPath } from "../../../routes";

export const REVIEW_STATUS_LABELS: Record<ReviewStatus, MessageKey> = {
  under_review: "review.status.under_review",
  approved: "review.status.approved",
  rejected: "review.status.rejected",
  withdrawn: "review.status.withdrawn",
};
const STATUSES = Object.keys(REVIEW_STATUS_LABELS) as ReviewStatus[];
const PAGE_SIZE = 20;

function isStatus(value: string | null): value is ReviewStatus {
  return value !== null && (STATUSES as string[]).includes(value);
}

/** The review queue, oldest first (the server's order), by status. */
export function QueuePage() {
  const { t, formatDateTime, formatDate } = useI18n();
  const [params, setParams] = useSearchParams();
  const requested = params.get("status");
  const status: ReviewStatus = isStatus(requested) ? requested : "under_review";
  const [items, setItems] = useState<Application[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  async function load(after: string | null) {
    const query = after ? { status, limit: PAGE_SIZE, cursor: after } : { status, limit: PAGE_SIZE };
    const result = await call(workspaces.GET("/v1/review/applications", { params: { query } }));
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setItems((current) => (after && current ? [...current, ...result.data.items] : result.data.items));
    setCursor(result.data.next_cursor);
  }

  useEffect(() => {
    setItems(null);
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status]);

  return (
    <AppShell>
      <div className="page">
        <h1>{t("review.queue.title")}</h1>
        <p className="lead">{t("review.queue.lead")}</p>
        <div className="tabs" role="group" aria-label={t("review.queue.filter")}>
          {STATUSES.map((s) => (
            <button key={s} type="button" className={`tabs__tab${s === status ? " is-active" : ""}`} aria-pressed={s === status} onClick={() => setParams({ status: s })}>
              {t(REVIEW_STATUS_LABELS[s])}
            </button>
          ))}
        </div>
        <ProblemAlert problem={problem} />
        {items === null && !problem ? <Loading /> : null}
        {items && items.length === 0 ? <div className="empty">{t("review.queue.empty")}</div> : null}
        {items && items.length > 0 ? (
          <table className="table">
            <caption className="visually-hidden">{t(REVIEW_STATUS_LABELS[status])}</caption>
            <thead>
              <tr>
                <th scope="col">{t("review.company")}</th>
                <th scope="col">{t("review.applicant")}</th>
                <th scope="col">{t("apply.status.submitted_at")}</th>
                <th scope="col">{t("apply.status.expected_decision_by")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("mp.list.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((application) => (
                <tr key={application.id}>
                  <td>
                    <strong>{application.company_name}</strong>
                  </td>
                  <td>
                    {application.applicant?.full_name}
                    <div className="muted">{application.applicant?.email}</div>
                    <EmailVerifiedBadge verified={application.applicant?.email_verified} />
                  </td>
                  <td>{formatDateTime(application.submitted_at)}</td>
                  <td>{formatDate(application.expected_decision_by)}</td>
                  <td>
                    <Link className="button button--small" to={reviewPath(application.id)} aria-label={t("review.open_named", { company: application.company_name ?? "" })}>
                      {status === "under_review" ? t("review.open") : t("review.view")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {cursor ? (
          <button
            type="button"
            className="button"
            disabled={loadingMore}
            onClick={async () => {
              setLoadingMore(true);
              await load(cursor);
              setLoadingMore(false);
            }}
          >
            {t("common.load_more")}
          </button>
        ) : null}
      </div>
    </AppShell>
  );
}

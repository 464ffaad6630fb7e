import { useEffect, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { call, notifier } from "../../../api/client";
import type { Notification, NotificationStatus, Problem } from "../../../api/types";
import { TextField } from "../../../components/Field";
import { AppShell } from "../../../components/Layout";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useI18n, type MessageKey } from "../../../i18n";

const STATUS_LABELS: Record<NotificationStatus, MessageKey> = {
  pending: "notifications.status.pending",
  sending: "notifications.status.sending",
  sent: "notifications.status.sent",
  failed: "notifications.status.failed",
};
const PAGE_SIZE = 20;

/** The admin's email delivery log of one account (GET /v1/notifications?account_id=). */
export function NotificationsPage() {
  const { t, formatDateTime } = useI18n();
  const [params, setParams] = useSearchParams();
  const accountId = params.get("account_id") ?? "";
  const [draft, setDraft] = useState(accountId);
  const [items, setItems] = useState<Notification[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>();

  async function load(after: string | null) {
    setBusy(true);
    const query = after ? { account_id: accountId, limit: PAGE_SIZE, cursor: after } : { account_id: accountId, limit: PAGE_SIZE };
    const result = await call(notifier.GET("/v1/notifications", { params: { query } }));
    setBusy(false);
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setItems((current) => (after && current ? [...current, ...result.data.items] : result.data.items));
    setCursor(result.data.next_cursor);
  }

  useEffect(() => {
    setItems(null);
    if (accountId) void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [accountId]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft.trim()) {
      setFieldError(t("notifications.error.account_id"));
      document.getElementById("notifications-account")?.focus();
      return;
    }
    setFieldError(undefined);
    setParams({ account_id: draft.trim() });
  }

  return (
    <AppShell>
      <div className="page">
        <h1>{t("notifications.title")}</h1>
        <p className="lead">{t("notifications.lead")}</p>
        <form className="inline-form" noValidate onSubmit={submit}>
          <TextField
            id="notifications-account"
            label={t("notifications.account_id")}
            required
            value={draft}
            onChange={(v) => {
              setDraft(v);
              setFieldError(undefined);
            }}
            hint={t("notifications.account_id_hint")}
            error={fieldError}
          />
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("notifications.search")}
          </button>
        </form>
        <ProblemAlert problem={problem} />
        {items && items.length === 0 ? <div className="empty">{t("notifications.empty")}</div> : null}
        {items && items.length > 0 ? (
          <table className="table">
            <caption className="visually-hidden">{t("notifications.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("notifications.created")}</th>
                <th scope="col">{t("notifications.email")}</th>
                <th scope="col">{t("notifications.decision")}</th>
                <th scope="col">{t("notifications.status")}</th>
                <th scope="col">{t("notifications.attempts")}</th>
                <th scope="col">{t("notifications.sent_at")}</th>
                <th scope="col">{t("notifications.last_error")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((n) => (
                <tr key={n.id}>
                  <td>{formatDateTime(n.created_at)}</td>
                  <td>{n.email}</td>
                  <td>{n.decision === "approve" ? t("review.status.approved") : t("review.status.rejected")}</td>
                  <td>
                    <span className={`badge badge--${n.status}`}>{t(STATUS_LABELS[n.status])}</span>
                  </td>
                  <td>{n.attempts}</td>
                  <td>{formatDateTime(n.sent_at)}</td>
                  <td className="cell--wrap">{n.last_error ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {cursor ? (
          <button type="button" className="button" disabled={busy} onClick={() => void load(cursor)}>
            {t("common.load_more")}
          </button>
        ) : null}
      </div>
    </AppShell>
  );
}

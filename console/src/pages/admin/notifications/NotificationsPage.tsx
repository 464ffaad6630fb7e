import { useEffect, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { call, notifier } from "../../../api/client";
import type { Notification, NotificationStatus, Problem } from "../../../api/types";
import { SelectField, TextField } from "../../../components/Field";
import { AppShell } from "../../../components/Layout";
import { Notice, ProblemAlert } from "../../../components/ProblemAlert";
import { useI18n, type MessageKey } from "../../../i18n";

export const STATUS_LABELS: Record<NotificationStatus, MessageKey> = {
  pending: "notifications.status.pending",
  sending: "notifications.status.sending",
  sent: "notifications.status.sent",
  failed: "notifications.status.failed",
};
const STATUSES = Object.keys(STATUS_LABELS) as NotificationStatus[];
const PAGE_SIZE = 20;

function isStatus(value: string | null): value is NotificationStatus {
  return value !== null && (STATUSES as string[]).includes(value);
}

const KIND_LABELS: Record<string, MessageKey> = {
  email_verification: "notifications.kind.email_verification",
  password_reset: "notifications.kind.password_reset",
  password_changed: "notifications.kind.password_changed",
  workspace_invitation: "notifications.kind.workspace_invitation",
};

/** What a mail is about: a review's decision, else its kind (the subject for a kind unknown here). */
export function aboutLabel(notification: Pick<Notification, "decision" | "kind" | "subject">, t: (key: MessageKey) => string): string {
  if (notification.decision) return t(notification.decision === "approve" ? "review.status.approved" : "review.status.rejected");
  const key = KIND_LABELS[notification.kind];
  return key ? t(key) : (notification.subject ?? notification.kind);
}

/** Only a failed mail that was not sent again already can be resent. */
export function canResend(notification: Pick<Notification, "status" | "resent_as">): boolean {
  return notification.status === "failed" && !notification.resent_as;
}

/** The admin's email delivery log: every review-result mail, newest first, by account or state;
 * a failed one can be sent again. */
export function NotificationsPage() {
  const { t, formatDateTime } = useI18n();
  const [params, setParams] = useSearchParams();
  const accountId = params.get("account_id") ?? "";
  const requestedStatus = params.get("status");
  const status = isStatus(requestedStatus) ? requestedStatus : null;
  const [accountDraft, setAccountDraft] = useState(accountId);
  const [statusDraft, setStatusDraft] = useState<NotificationStatus | "">(status ?? "");
  const [items, setItems] = useState<Notification[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load(after: string | null) {
    setBusy(true);
    const query = {
      limit: PAGE_SIZE,
      ...(accountId ? { account_id: accountId } : {}),
      ...(status ? { status } : {}),
      ...(after ? { cursor: after } : {}),
    };
    const result = await call(notifier.GET("/v1/notifications", { params: { query } }));
    setBusy(false);
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setItems((current) => (after && current ? [...current, ...result.data.items] : result.data.items));
    setCursor(result.data.next_cursor);
  }

  useEffect(() => {
    setItems(null);
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [accountId, status]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (accountDraft.trim()) next.account_id = accountDraft.trim();
    if (statusDraft) next.status = statusDraft;
    setParams(next);
  }

  async function resend(notification: Notification) {
    setNotice(null);
    const result = await call(notifier.POST("/v1/notifications/{id}/resend", { params: { path: { id: notification.id } } }));
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setNotice(t("notifications.resent", { email: notification.email }));
    await load(null);
  }

  return (
    <AppShell>
      <div className="page">
        <h1>{t("notifications.title")}</h1>
        <p className="lead">{t("notifications.lead")}</p>
        <form className="inline-form panel" noValidate onSubmit={submit} aria-label={t("notifications.filter")}>
          <TextField
            id="notifications-account"
            label={t("notifications.account_id")}
            value={accountDraft}
            onChange={setAccountDraft}
            hint={t("notifications.account_id_hint")}
          />
          <SelectField<NotificationStatus | "">
            id="notifications-status"
            label={t("notifications.status")}
            value={statusDraft}
            onChange={setStatusDraft}
            options={[{ value: "", label: t("notifications.status.any") }, ...STATUSES.map((s) => ({ value: s, label: t(STATUS_LABELS[s]) }))]}
          />
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("notifications.search")}
          </button>
        </form>
        {notice ? <Notice kind="success">{notice}</Notice> : null}
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
                <th scope="col">
                  <span className="visually-hidden">{t("mp.list.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((n) => (
                <tr key={n.id}>
                  <td>{formatDateTime(n.created_at)}</td>
                  <td>
                    {n.email}
                    {n.account_id ? (
                      <div className="muted">
                        <button type="button" className="button button--link" onClick={() => setParams({ account_id: n.account_id ?? "" })}>
                          {t("notifications.only_this_account")}
                        </button>
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {aboutLabel(n, t)}
                    {n.resend_of ? <div className="muted">{t("notifications.is_resend")}</div> : null}
                  </td>
                  <td>
                    <span className={`badge badge--${n.status}`}>{t(STATUS_LABELS[n.status])}</span>
                    {n.resent_as ? <div className="muted">{t("notifications.was_resent")}</div> : null}
                  </td>
                  <td>{n.attempts}</td>
                  <td>{formatDateTime(n.sent_at)}</td>
                  <td className="cell--wrap">{n.last_error ?? "—"}</td>
                  <td>
                    {canResend(n) ? (
                      <button type="button" className="button button--small" onClick={() => void resend(n)}>
                        {t("notifications.resend")}
                        <span className="visually-hidden"> {n.email}</span>
                      </button>
                    ) : null}
                  </td>
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

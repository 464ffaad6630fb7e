// `/account/sessions`: where the account is signed in; end one, or every other.
import { useCallback, useEffect, useState } from "react";
import { accounts, call } from "../../api/client";
import type { Problem, SessionItem } from "../../api/types";
import { Loading } from "../../components/Loading";
import { Notice, ProblemAlert } from "../../components/ProblemAlert";
import { useI18n } from "../../i18n";
import { AccountPage } from "./AccountPages";
import { describeUserAgent } from "./userAgent";

export function SessionsPage() {
  const { t, formatDateTime } = useI18n();
  const [items, setItems] = useState<SessionItem[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await call(accounts.GET("/v1/sessions"));
    if (!result.ok) return setProblem(result.problem);
    setItems(result.data.items);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function revoke(session: SessionItem) {
    const result = await call(accounts.DELETE("/v1/sessions/{session_id}", { params: { path: { session_id: session.id } } }));
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setNotice(t("sessions.revoked", { device: describeUserAgent(session.user_agent) }));
    await load();
  }

  async function revokeOthers() {
    const result = await call(accounts.DELETE("/v1/sessions"));
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setNotice(t("sessions.revoked_others", { count: result.data.ended_sessions }));
    await load();
  }

  const others = items?.filter((s) => !s.current).length ?? 0;
  return (
    <AccountPage title={t("sessions.title")} lead={t("sessions.lead")}>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ProblemAlert problem={problem} />
      {items === null && !problem ? <Loading /> : null}
      {items ? (
        <>
          <table className="table">
            <caption className="visually-hidden">{t("sessions.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("sessions.device")}</th>
                <th scope="col">{t("sessions.address")}</th>
                <th scope="col">{t("sessions.created")}</th>
                <th scope="col">{t("sessions.last_used")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("mp.list.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((session) => (
                <tr key={session.id} aria-current={session.current ? "true" : undefined}>
                  <td className="cell--wrap">
                    <span title={session.user_agent}>{describeUserAgent(session.user_agent) || t("sessions.unknown_device")}</span>
                    {session.current ? <span className="badge badge--owner">{t("sessions.this_one")}</span> : null}
                  </td>
                  <td>{session.client_address || "—"}</td>
                  <td>{formatDateTime(session.created_at)}</td>
                  <td>{formatDateTime(session.last_used_at)}</td>
                  <td>
                    {session.current ? null : (
                      <button type="button" className="button button--small button--danger" onClick={() => void revoke(session)}>
                        {t("sessions.revoke")}
                        <span className="visually-hidden"> {describeUserAgent(session.user_agent)}, {formatDateTime(session.created_at)}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="page__actions">
            <button type="button" className="button button--danger" onClick={() => void revokeOthers()} disabled={others === 0}>
              {t("sessions.revoke_others")}
            </button>
          </div>
        </>
      ) : null}
    </AccountPage>
  );
}

import { useCallback, useEffect, useState } from "react";
import { call, workspaces } from "../../api/client";
import type { Invitation, InvitationStatus, Problem } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { EmailRoleForm } from "../../components/EmailRoleForm";
import { Loading } from "../../components/Loading";
import { Notice, ProblemAlert } from "../../components/ProblemAlert";
import { useI18n, type MessageKey, type Vars } from "../../i18n";
import "./invitations.css";

export const STATUS_LABELS: Record<InvitationStatus, MessageKey> = {
  pending: "invite.status.pending",
  accepted: "invite.status.accepted",
  expired: "invite.status.expired",
  revoked: "invite.status.revoked",
};
const STATUS_BADGES: Record<InvitationStatus, string> = {
  pending: "badge--pending",
  accepted: "badge--sent",
  expired: "badge--failed",
  revoked: "badge--failed",
};

/** What the owner may still do with an invitation: resend a pending or expired one (a new link,
 * 3 days again), revoke a pending one. */
export function invitationActions(status: InvitationStatus): { resend: boolean; revoke: boolean } {
  return { resend: status === "pending" || status === "expired", revoke: status === "pending" };
}

function InvitationRow({ invitation, onResend, onRevoke }: { invitation: Invitation; onResend: () => void; onRevoke: () => void }) {
  const { t, formatDateTime } = useI18n();
  const actions = invitationActions(invitation.status);
  const role = invitation.role === "master" ? t("role.master") : t("role.developer");
  let when = "—";
  if (invitation.status === "pending") when = t("invite.expires", { date: formatDateTime(invitation.expires_at) });
  if (invitation.status === "expired") when = t("invite.expired_at", { date: formatDateTime(invitation.expires_at) });
  if (invitation.status === "accepted") when = t("invite.accepted_at", { date: formatDateTime(invitation.accepted_at) });
  if (invitation.status === "revoked") when = t("invite.revoked_at", { date: formatDateTime(invitation.revoked_at) });
  return (
    <tr>
      <td>{invitation.email}</td>
      <td>{role}</td>
      <td>
        <span className={`badge ${STATUS_BADGES[invitation.status]}`}>{t(STATUS_LABELS[invitation.status])}</span>
      </td>
      <td>{when}</td>
      <td>{t("invite.sent", { count: invitation.sent_count, date: formatDateTime(invitation.last_sent_at ?? invitation.created_at) })}</td>
      <td>
        {actions.resend ? (
          <button type="button" className="button button--small" onClick={onResend}>
            {t("invite.resend")}
            <span className="visually-hidden"> {invitation.email}</span>
          </button>
        ) : null}{" "}
        {actions.revoke ? (
          <button type="button" className="button button--small button--danger" onClick={onRevoke}>
            {t("invite.revoke")}
            <span className="visually-hidden"> {invitation.email}</span>
          </button>
        ) : null}
      </td>
    </tr>
  );
}

/** The owner's invitations by email: invite, and the list with status, expiry, resend and revoke. */
export function InvitationsPanel({ workspaceId }: { workspaceId: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Invitation[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Kept as a message and its values, so it follows a switch of language.
  const [notice, setNotice] = useState<{ key: MessageKey; vars: Vars } | null>(null);
  const [revoking, setRevoking] = useState<Invitation | null>(null);

  const load = useCallback(async () => {
    const result = await call(workspaces.GET("/v1/workspaces/{id}/invitations", { params: { path: { id: workspaceId } } }));
    if (!result.ok) return setProblem(result.problem);
    setItems(result.data.items);
  }, [workspaceId]);

  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);

  async function resend(invitation: Invitation) {
    const ids = { params: { path: { id: workspaceId, invitation_id: invitation.id } } };
    const result = await call(workspaces.POST("/v1/workspaces/{id}/invitations/{invitation_id}/resend", ids));
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setNotice({ key: "invite.resent", vars: { email: invitation.email } });
    await load();
  }

  async function revoke(invitation: Invitation) {
    setRevoking(null);
    const ids = { params: { path: { id: workspaceId, invitation_id: invitation.id } } };
    const result = await call(workspaces.DELETE("/v1/workspaces/{id}/invitations/{invitation_id}", ids));
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setNotice({ key: "invite.revoked", vars: { email: invitation.email } });
    await load();
  }

  return (
    <section className="panel invitations" aria-labelledby="invitations-title">
      <h2 id="invitations-title">{t("invite.title")}</h2>
      <p className="muted">{t("invite.text")}</p>
      <EmailRoleForm
        formId="invite"
        labels={{ email: "invite.email", role: "invite.role", submit: "invite.submit", invalidEmail: "invite.error.email" }}
        send={(body) => call(workspaces.POST("/v1/workspaces/{id}/invitations", { params: { path: { id: workspaceId } }, body }))}
        onSubmit={() => setNotice(null)}
        onDone={(invitation) => {
          setProblem(null);
          setNotice({ key: "invite.invited", vars: { email: invitation.email } });
          void load();
        }}
      />
      {notice ? <Notice kind="success">{t(notice.key, notice.vars)}</Notice> : null}
      <ProblemAlert problem={problem} />
      <h3 id="invitations-list-title">{t("invite.list.title")}</h3>
      {items === null && !problem ? <Loading /> : null}
      {items && items.length === 0 ? <p className="muted">{t("invite.list.empty")}</p> : null}
      {items && items.length > 0 ? (
        <table className="table" aria-labelledby="invitations-list-title">
          <thead>
            <tr>
              <th scope="col">{t("invite.email")}</th>
              <th scope="col">{t("invite.role")}</th>
              <th scope="col">{t("invite.status")}</th>
              <th scope="col">{t("invite.expiry")}</th>
              <th scope="col">{t("invite.sent_header")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("mp.list.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((invitation) => (
              <InvitationRow
                key={invitation.id}
                invitation={invitation}
                onResend={() => void resend(invitation)}
                onRevoke={() => setRevoking(invitation)}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      <Dialog
        open={revoking !== null}
        title={t("invite.revoke_confirm.title")}
        onClose={() => setRevoking(null)}
        footer={
          <>
            <button type="button" className="button" onClick={() => setRevoking(null)} autoFocus>
              {t("common.cancel")}
            </button>
            <button type="button" className="button button--danger" onClick={() => revoking && void revoke(revoking)}>
              {t("invite.revoke")}
            </button>
          </>
        }
      >
        <p>{t("invite.revoke_confirm.text", { email: revoking?.email ?? "" })}</p>
      </Dialog>
    </section>
  );
}

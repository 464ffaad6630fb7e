import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { call, workspaces } from "../../api/client";
import { logOut } from "../../api/session";
import type { InvitationPreview, Problem } from "../../api/types";
import { useSession } from "../../auth";
import { PublicLayout } from "../../components/Layout";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useI18n } from "../../i18n";
import { PATHS, withNext, workspacePaths } from "../../routes";
import { ROLE_LABELS } from "../console/workspaces/WorkspacesPage";
import { acceptProblem, isInvitedEmail, linkProblem, MISSING_TOKEN, OTHER_EMAIL, type AcceptProblem } from "./acceptProblems";

/** Why the invitation cannot be accepted, in the user's words, with what to do about it. */
function Refused({ reason, email, onSwitch }: { reason: AcceptProblem; email: string; onSwitch: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [reason]);
  return (
    <div ref={ref} role="alert" tabIndex={-1} className="alert alert--error" data-problem={reason.slug}>
      <p className="alert__title">{t(reason.title)}</p>
      <p className="alert__detail">{t(reason.text, { email })}</p>
      {reason.switchAccount ? (
        <button type="button" className="button" onClick={onSwitch}>
          {t("invite.accept.switch_account")}
        </button>
      ) : null}
      {reason.openConsole ? (
        <Link to={PATHS.console} className="button">
          {t("invite.accept.open_console")}
        </Link>
      ) : null}
    </div>
  );
}

/** What the invitation offers: who invited, to which workspace, as what, for which email, until when. */
function Offer({ preview }: { preview: InvitationPreview }) {
  const { t, formatDateTime } = useI18n();
  const vars = { inviter: preview.inviter_name, workspace: preview.workspace_name, role: t(ROLE_LABELS[preview.role]) };
  return (
    <div className="invitation-offer" data-status={preview.status}>
      <p className="lead">{t("invite.accept.offer", vars)}</p>
      <p className="muted">
        {t("invite.accept.sent_to", { email: preview.email })}
        {preview.status === "pending" ? ` ${t("invite.accept.valid_until", { date: formatDateTime(preview.expires_at) })}` : null}
      </p>
    </div>
  );
}

/** `/invitations/accept?token=...`, the link of the invitation mail. It reads what the link offers
 * first (no sign-in needed), so a dead link says why before anyone signs up; signed out, sign up
 * or log in with the invited email filled in (the link comes back through ?next=); signed in,
 * accept and open the workspace. */
export function AcceptInvitationPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const token = useSearchParams()[0].get("token")?.trim() ?? "";
  const here = location.pathname + location.search;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  // undefined: being read; null: it could not be (its problem is in `problem`).
  const [preview, setPreview] = useState<InvitationPreview | null | undefined>(token ? undefined : null);

  useEffect(() => {
    if (!token) return;
    void call(workspaces.POST("/v1/invitations/preview", { body: { token } })).then((r) => {
      setPreview(r.ok ? r.data : null);
      if (!r.ok) setProblem(r.problem);
    });
  }, [token]);

  const signedInEmail = session.status === "signed_in" ? session.account.email : "";
  const otherEmail = preview && preview.status === "pending" && signedInEmail && !isInvitedEmail(preview.email, signedInEmail);
  const reason = !token
    ? MISSING_TOKEN
    : problem
      ? acceptProblem(problem)
      : preview
        ? (linkProblem(preview.status) ?? (otherEmail ? OTHER_EMAIL : null))
        : null;

  async function accept() {
    setBusy(true);
    const result = await call(workspaces.POST("/v1/invitations/accept", { body: { token } }));
    setBusy(false);
    if (!result.ok) return setProblem(result.problem);
    const joined = result.data.workspace;
    navigate(workspacePaths(joined.id).miniPrograms, { replace: true, state: { joined: joined.name } });
  }

  async function switchAccount() {
    await logOut();
    setProblem(null);
  }

  let body;
  if (session.status === "unknown" || preview === undefined) body = <Loading />;
  else if (session.status === "anonymous") {
    // The invited email travels in the history state, not the URL.
    const prefill = { email: preview?.email ?? "" };
    body = (
      <>
        {preview ? <Offer preview={preview} /> : null}
        {reason ? <Refused reason={reason} email="" onSwitch={switchAccount} /> : <ProblemAlert problem={problem} />}
        {!reason ? <p>{t("invite.accept.signed_out")}</p> : null}
        {!reason ? (
          <div className="form-actions">
            <Link to={withNext(PATHS.signup, here)} state={prefill} className="button button--primary">
              {t("invite.accept.sign_up")}
            </Link>
            <Link to={withNext(PATHS.login, here)} state={prefill} className="button">
              {t("invite.accept.log_in")}
            </Link>
          </div>
        ) : null}
      </>
    );
  } else {
    body = (
      <>
        {preview ? <Offer preview={preview} /> : null}
        <p>{t("invite.accept.signed_in", { email: signedInEmail })}</p>
        {reason ? <Refused reason={reason} email={signedInEmail} onSwitch={switchAccount} /> : <ProblemAlert problem={problem} />}
        {token && !reason ? (
          <button type="button" className="button button--primary button--block" disabled={busy} onClick={() => void accept()}>
            {busy ? t("invite.accept.accepting") : t("invite.accept.submit")}
          </button>
        ) : null}
      </>
    );
  }

  return (
    <PublicLayout>
      <div className="card">
        <h1>{t("invite.accept.title")}</h1>
        {body}
      </div>
    </PublicLayout>
  );
}

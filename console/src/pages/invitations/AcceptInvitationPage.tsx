import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { call, workspaces } from "../../api/client";
import { logOut } from "../../api/session";
import type { Problem } from "../../api/types";
import { useSession } from "../../auth";
import { PublicLayout } from "../../components/Layout";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useI18n } from "../../i18n";
import { PATHS, withNext, workspacePaths } from "../../routes";
import { acceptProblem, MISSING_TOKEN, type AcceptProblem } from "./acceptProblems";

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

/** `/invitations/accept?token=...`, the link of the invitation mail: signed out, sign up or log
 * in first (the link comes back through ?next=); signed in, accept and open the workspace. */
export function AcceptInvitationPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const token = useSearchParams()[0].get("token")?.trim() ?? "";
  const here = location.pathname + location.search;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const reason = !token ? MISSING_TOKEN : problem ? acceptProblem(problem) : null;

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
  if (session.status === "unknown") body = <Loading />;
  else if (session.status === "anonymous") {
    body = (
      <>
        <p className="lead">{t("invite.accept.signed_out")}</p>
        {reason ? <Refused reason={reason} email="" onSwitch={switchAccount} /> : null}
        <div className="form-actions">
          <Link to={withNext(PATHS.signup, here)} className="button button--primary">
            {t("invite.accept.sign_up")}
          </Link>
          <Link to={withNext(PATHS.login, here)} className="button">
            {t("invite.accept.log_in")}
          </Link>
        </div>
      </>
    );
  } else {
    const email = session.account.email;
    body = (
      <>
        <p className="lead">{t("invite.accept.signed_in", { email })}</p>
        {reason ? <Refused reason={reason} email={email} onSwitch={switchAccount} /> : <ProblemAlert problem={problem} />}
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

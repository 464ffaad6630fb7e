// `/verify-email?token=...`: the page the verification mail links to. It works without being
// signed in (the link may be opened on another device); when signed in, the reminder goes.
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { accounts, call, type Result } from "../../api/client";
import { problemSlug } from "../../api/problem";
import { updateAccount } from "../../api/session";
import type { MeRead, Problem } from "../../api/types";
import { useSession } from "../../auth";
import { PublicLayout } from "../../components/Layout";
import { Loading } from "../../components/Loading";
import { useI18n, type MessageKey } from "../../i18n";
import { PATHS } from "../../routes";
import { ResendVerification } from "./ResendVerification";

// One POST per token, however often the page mounts (StrictMode mounts twice; a second POST
// would find the link used).
const verifying = new Map<string, Promise<Result<MeRead>>>();

function verify(token: string): Promise<Result<MeRead>> {
  let pending = verifying.get(token);
  if (!pending) {
    pending = call(accounts.POST("/v1/email-verifications", { body: { token } }));
    verifying.set(token, pending);
  }
  return pending;
}

/** What a refused link means to the user: expired (ask for a new one) or no longer valid. */
export function linkProblemKey(problem: Problem): MessageKey {
  switch (problemSlug(problem)) {
    case "link-expired":
      return "verify.expired";
    case "link-invalid":
      return "verify.invalid";
    default:
      return "verify.failed";
  }
}

export function VerifyEmailPage() {
  const { t } = useI18n();
  const session = useSession();
  const token = useSearchParams()[0].get("token") ?? "";
  const [outcome, setOutcome] = useState<Result<MeRead> | null>(null);

  useEffect(() => {
    if (token) void verify(token).then(setOutcome);
  }, [token]);

  // Signed in as this account (now or once the session is restored): its reminder goes.
  useEffect(() => {
    if (outcome?.ok && session.status === "signed_in" && session.account.id === outcome.data.account.id && !session.account.email_verified) {
      updateAccount(outcome.data.account, outcome.data.next_step);
    }
  }, [outcome, session]);

  const signedIn = session.status === "signed_in";
  let body;
  if (!token) body = <p>{t("verify.no_token")}</p>;
  else if (!outcome) body = <Loading label={t("verify.verifying")} />;
  else if (outcome.ok) {
    body = (
      <>
        <div className="alert alert--success" role="status">
          <p className="alert__title">{t("verify.success.title")}</p>
          <p>{t("verify.success.text", { email: outcome.data.account.email })}</p>
        </div>
        <Link className="button button--primary" to={signedIn ? "/" : PATHS.login}>
          {t(signedIn ? "verify.continue" : "verify.log_in")}
        </Link>
      </>
    );
  } else {
    body = (
      <>
        <div className="alert alert--error" role="alert">
          <p className="alert__title">{t(linkProblemKey(outcome.problem))}</p>
          {outcome.problem.detail ? <p className="alert__detail">{outcome.problem.detail}</p> : null}
        </div>
        {signedIn ? (
          session.account.email_verified ? (
            <Link className="button button--primary" to="/">
              {t("verify.continue")}
            </Link>
          ) : (
            <ResendVerification email={session.account.email} className="button button--primary" />
          )
        ) : (
          <p>
            {t("verify.log_in_for_new")}{" "}
            <Link to={`${PATHS.login}?next=${encodeURIComponent(PATHS.security)}`}>{t("verify.log_in")}</Link>
          </p>
        )}
      </>
    );
  }

  return (
    <PublicLayout>
      <div className="card">
        <h1>{t("verify.title")}</h1>
        {body}
      </div>
    </PublicLayout>
  );
}


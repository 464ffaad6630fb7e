import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { accounts, call } from "../../api/client";
import { startSession } from "../../api/session";
import type { MfaChallenge, SessionRead } from "../../api/types";
import { TextField } from "../../components/Field";
import { PublicLayout } from "../../components/Layout";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useFormErrors } from "../../components/useFormErrors";
import { resolveHome } from "../../home";
import { useI18n } from "../../i18n";
import { SecondFactorStep } from "./SecondFactorStep";
import { PATHS, prefilledEmail, safeNext, withNext } from "../../routes";

const FIELDS = ["email", "password"] as const;
type Field = (typeof FIELDS)[number];

export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const form = useFormErrors<Field>("login", FIELDS);
  const prefilled = prefilledEmail(useLocation().state); // an invitation's invited email
  const [email, setEmail] = useState(prefilled);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  // The password was right and two-factor sign-in is on: the code comes next.
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);

  async function signedIn(session: SessionRead) {
    startSession(session);
    const to = safeNext(params.get("next")) ?? (await resolveHome(session.account, session.next_step));
    navigate(to, { replace: true });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!email.trim()) found.email = t("login.error.email");
    if (!password) found.password = t("login.error.password");
    if (form.check(found)) return;
    setBusy(true);
    const result = await call(accounts.POST("/v1/sessions", { body: { email: email.trim(), password } }));
    if (!result.ok) {
      setBusy(false);
      return form.fail(result.problem);
    }
    if ("mfa_token" in result.data) {
      setBusy(false);
      setPassword("");
      return setChallenge(result.data);
    }
    await signedIn(result.data);
  }

  if (challenge) {
    return (
      <PublicLayout>
        <SecondFactorStep challenge={challenge} onSignedIn={signedIn} onRestart={() => setChallenge(null)} />
      </PublicLayout>
    );
  }

  return (
    <PublicLayout>
      <div className="card">
        <h1>{t("login.title")}</h1>
        <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
        <form noValidate onSubmit={submit}>
          <TextField
            {...form.bind("email", email, setEmail)}
            label={t("login.email")}
            type="email"
            autoComplete="username"
            required
          />
          <TextField
            {...form.bind("password", password, setPassword)}
            label={t("login.password")}
            type="password"
            autoComplete="current-password"
            required
          />
          <p className="form-note">
            <Link to={PATHS.forgotPassword}>{t("login.forgot_password")}</Link>
          </p>
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {busy ? t("login.submitting") : t("login.submit")}
          </button>
        </form>
        <p className="card__footer">
          {t("login.no_account")} <Link to={withNext(PATHS.signup, safeNext(params.get("next")))}>{t("login.signup_link")}</Link>
        </p>
      </div>
    </PublicLayout>
  );
}

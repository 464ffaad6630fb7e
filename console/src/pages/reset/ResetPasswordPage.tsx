// `/reset-password?token=...`: the page the reset mail links to. A new password by signup's
// rules; every session of the account ends, so the user then logs in with it.
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { accounts, call } from "../../api/client";
import { problemSlug } from "../../api/problem";
import { endSession } from "../../api/session";
import type { Problem } from "../../api/types";
import { TextField } from "../../components/Field";
import { PublicLayout } from "../../components/Layout";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useFormErrors } from "../../components/useFormErrors";
import { useI18n } from "../../i18n";
import { PATHS } from "../../routes";
import { PASSWORD_LIMITS } from "../../rules/fields";

const FIELDS = ["password"] as const;

/** The link itself was refused (not the password): ask for a new one. */
export function isLinkProblem(problem: Problem | null): boolean {
  return problem !== null && ["link-expired", "link-invalid"].includes(problemSlug(problem));
}

export function ResetPasswordPage() {
  const { t } = useI18n();
  const token = useSearchParams()[0].get("token") ?? "";
  const form = useFormErrors<"password">("reset", FIELDS);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const bad = password.length < PASSWORD_LIMITS.min || password.length > PASSWORD_LIMITS.max;
    if (form.check(bad ? { password: t("signup.error.password", PASSWORD_LIMITS) } : {})) return;
    setBusy(true);
    const result = await call(accounts.POST("/v1/password-resets/confirm", { body: { token, password } }));
    setBusy(false);
    if (!result.ok) return form.fail(result.problem);
    endSession(); // every session of the account ended, this browser's too
    setDone(true);
  }

  let body;
  if (!token) body = <p>{t("reset.no_token")}</p>;
  else if (done) {
    body = (
      <>
        <div className="alert alert--success" role="status">
          <p className="alert__title">{t("reset.done.title")}</p>
          <p>{t("reset.done.text")}</p>
        </div>
        <Link className="button button--primary" to={PATHS.login}>
          {t("reset.log_in")}
        </Link>
      </>
    );
  } else {
    const linkRefused = isLinkProblem(form.problem);
    body = (
      <>
        <p className="lead">{t("reset.lead")}</p>
        <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
        {linkRefused ? (
          <p>
            <Link to={PATHS.forgotPassword}>{t("reset.new_link")}</Link>
          </p>
        ) : null}
        <form noValidate onSubmit={submit}>
          <TextField
            {...form.bind("password", password, setPassword)}
            label={t("reset.password")}
            type="password"
            autoComplete="new-password"
            required
            hint={t("signup.password_hint", PASSWORD_LIMITS)}
          />
          <button type="submit" className="button button--primary button--block" disabled={busy || linkRefused}>
            {busy ? t("common.saving") : t("reset.submit")}
          </button>
        </form>
      </>
    );
  }

  return (
    <PublicLayout>
      <div className="card">
        <h1>{t("reset.title")}</h1>
        {body}
      </div>
    </PublicLayout>
  );
}

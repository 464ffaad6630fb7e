// `/forgot-password`: ask for a reset link. The answer is the same whether or not the email has
// an account, so the page cannot tell anyone which emails are registered.
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { accounts, call } from "../../api/client";
import { TextField } from "../../components/Field";
import { PublicLayout } from "../../components/Layout";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useFormErrors } from "../../components/useFormErrors";
import { useI18n } from "../../i18n";
import { PATHS } from "../../routes";
import { looksLikeEmail } from "../../rules/fields";

const FIELDS = ["email"] as const;

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const form = useFormErrors<"email">("forgot", FIELDS);
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (form.check(looksLikeEmail(email) ? {} : { email: t("signup.error.email") })) return;
    setBusy(true);
    const result = await call(accounts.POST("/v1/password-resets", { body: { email: email.trim() } }));
    setBusy(false);
    if (!result.ok) return form.fail(result.problem);
    setSentTo(email.trim());
  }

  return (
    <PublicLayout>
      <div className="card">
        <h1>{t("forgot.title")}</h1>
        {sentTo ? (
          <>
            <div className="alert alert--success" role="status">
              <p className="alert__title">{t("forgot.sent.title")}</p>
              <p>{t("forgot.sent.text", { email: sentTo })}</p>
            </div>
            <p>
              <button type="button" className="button button--link" onClick={() => setSentTo(null)}>
                {t("forgot.again")}
              </button>
            </p>
          </>
        ) : (
          <>
            <p className="lead">{t("forgot.lead")}</p>
            <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
            <form noValidate onSubmit={submit}>
              <TextField
                {...form.bind("email", email, setEmail)}
                label={t("login.email")}
                type="email"
                autoComplete="username"
                required
              />
              <button type="submit" className="button button--primary button--block" disabled={busy}>
                {busy ? t("forgot.submitting") : t("forgot.submit")}
              </button>
            </form>
          </>
        )}
        <p className="card__footer">
          <Link to={PATHS.login}>{t("forgot.back_to_login")}</Link>
        </p>
      </div>
    </PublicLayout>
  );
}

// Change the password, proving the current one; every other session ends (this one stays).
import { useState, type FormEvent } from "react";
import { accounts, call } from "../../api/client";
import { TextField } from "../../components/Field";
import { Notice, ProblemAlert } from "../../components/ProblemAlert";
import { useFormErrors } from "../../components/useFormErrors";
import { useI18n } from "../../i18n";
import { PASSWORD_LIMITS } from "../../rules/fields";

const FIELDS = ["current_password", "new_password"] as const;
type Field = (typeof FIELDS)[number];

export function ChangePasswordSection() {
  const { t } = useI18n();
  const form = useFormErrors<Field>("password", FIELDS);
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [busy, setBusy] = useState(false);
  const [ended, setEnded] = useState<number | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!current) found.current_password = t("login.error.password");
    if (next.length < PASSWORD_LIMITS.min || next.length > PASSWORD_LIMITS.max) {
      found.new_password = t("signup.error.password", PASSWORD_LIMITS);
    }
    if (form.check(found)) return;
    setBusy(true);
    setEnded(null);
    const result = await call(
      accounts.POST("/v1/accounts/me/password", { body: { current_password: current, new_password: next } }),
    );
    setBusy(false);
    if (!result.ok) return form.fail(result.problem);
    form.reset();
    setCurrent("");
    setNext("");
    setEnded(result.data.ended_sessions);
  }

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title">{t("security.password.title")}</h2>
      <p className="muted">{t("security.password.text")}</p>
      {ended !== null ? <Notice kind="success">{t("security.password.changed", { count: ended })}</Notice> : null}
      <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
      <form noValidate onSubmit={submit}>
        <TextField
          {...form.bind("current_password", current, setCurrent)}
          label={t("security.password.current")}
          type="password"
          autoComplete="current-password"
          required
        />
        <TextField
          {...form.bind("new_password", next, setNext)}
          label={t("security.password.new")}
          type="password"
          autoComplete="new-password"
          required
          hint={t("signup.password_hint", PASSWORD_LIMITS)}
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t("common.saving") : t("security.password.submit")}
        </button>
      </form>
    </section>
  );
}

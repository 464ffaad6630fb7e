import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { accounts, call } from "../../api/client";
import { startSession } from "../../api/session";
import type { SessionRead } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { CheckboxField, TextField } from "../../components/Field";
import { PublicLayout } from "../../components/Layout";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useFormErrors } from "../../components/useFormErrors";
import { useI18n } from "../../i18n";
import { homePath, PATHS, prefilledEmail, safeNext, withNext } from "../../routes";
import { looksLikeEmail, PASSWORD_LIMITS } from "../../rules/fields";
import { TermsText } from "../terms/TermsText";
import { useCountdown } from "./useCountdown";

const FIELDS = ["email", "password", "full_name", "accept_terms"] as const;
type Field = (typeof FIELDS)[number];

/** Seconds the confirmation shows before the application opens. */
export const CONFIRMATION_SECONDS = 5;

export function SignupPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  // Where to go once signed up (an invitation's accept page), kept from the link that led here.
  const next = safeNext(useSearchParams()[0].get("next"));
  const form = useFormErrors<Field>("signup", FIELDS);
  const prefilled = prefilledEmail(useLocation().state); // an invitation's invited email
  const [email, setEmail] = useState(prefilled);
  const [password, setPassword] = useState("");
  const [fullName, setFullName] = useState("");
  const [accepted, setAccepted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [termsOpen, setTermsOpen] = useState(false);
  const [created, setCreated] = useState<SessionRead | null>(null);

  const proceed = () => {
    if (created) navigate(next ?? homePath(created.account, created.next_step), { replace: true });
  };
  const left = useCountdown(CONFIRMATION_SECONDS, created !== null, proceed);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!looksLikeEmail(email)) found.email = t("signup.error.email");
    if (password.length < PASSWORD_LIMITS.min || password.length > PASSWORD_LIMITS.max) {
      found.password = t("signup.error.password", PASSWORD_LIMITS);
    }
    if (!fullName.trim()) found.full_name = t("signup.error.full_name");
    if (!accepted) found.accept_terms = t("signup.error.accept_terms");
    if (form.check(found)) return;
    setBusy(true);
    const result = await call(
      accounts.POST("/v1/accounts", {
        body: { email: email.trim(), password, full_name: fullName.trim(), accept_terms: true },
      }),
    );
    setBusy(false);
    if (!result.ok) return form.fail(result.problem);
    startSession(result.data);
    setCreated(result.data);
  }

  const set = (field: Field, apply: () => void) => {
    apply();
    form.edit(field);
  };

  return (
    <PublicLayout>
      <div className="card">
        <h1>{t("signup.title")}</h1>
        <p className="lead">{t("signup.lead")}</p>
        <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
        <form noValidate onSubmit={submit}>
          <TextField
            id={form.idOf("email")}
            label={t("signup.email")}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(v) => set("email", () => setEmail(v))}
            error={form.errors.email}
          />
          <TextField
            id={form.idOf("password")}
            label={t("signup.password")}
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(v) => set("password", () => setPassword(v))}
            hint={t("signup.password_hint", PASSWORD_LIMITS)}
            error={form.errors.password}
          />
          <TextField
            id={form.idOf("full_name")}
            label={t("signup.full_name")}
            autoComplete="name"
            required
            value={fullName}
            onChange={(v) => set("full_name", () => setFullName(v))}
            error={form.errors.full_name}
          />
          <CheckboxField
            id={form.idOf("accept_terms")}
            required
            checked={accepted}
            onChange={(v) => set("accept_terms", () => setAccepted(v))}
            error={form.errors.accept_terms}
            label={
              <>
                {t("signup.accept_terms_before")}
                <button
                  type="button"
                  className="button button--inline-link"
                  onClick={(e) => {
                    e.preventDefault();
                    setTermsOpen(true);
                  }}
                >
                  {t("signup.terms_link")}
                </button>
                {t("signup.accept_terms_after")}
              </>
            }
          />
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {busy ? t("signup.submitting") : t("signup.submit")}
          </button>
        </form>
        <p className="card__footer">
          {t("signup.have_account")} <Link to={withNext(PATHS.login, next)}>{t("signup.login_link")}</Link>
        </p>
      </div>

      <Dialog
        open={termsOpen}
        wide
        title={t("terms.title")}
        onClose={() => setTermsOpen(false)}
        footer={
          <>
            <button type="button" className="button" onClick={() => setTermsOpen(false)}>
              {t("common.close")}
            </button>
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                setAccepted(true);
                form.edit("accept_terms");
                setTermsOpen(false);
              }}
            >
              {t("terms.accept")}
            </button>
          </>
        }
      >
        <TermsText />
      </Dialog>

      <Dialog
        open={created !== null}
        title={t("signup.confirm.title")}
        onClose={proceed}
        footer={
          <button type="button" className="button button--primary" onClick={proceed} autoFocus>
            {t("signup.confirm.continue")}
          </button>
        }
      >
        <p>{t("signup.confirm.body", { name: created?.account.full_name ?? "" })}</p>
        <p className="countdown">
          <span className="countdown__number" aria-hidden="true">
            {left}
          </span>
          <span>{t("signup.confirm.countdown", { seconds: left })}</span>
        </p>
      </Dialog>
    </PublicLayout>
  );
}

// The second step of a login when two-factor sign-in is on: a code from the authenticator app,
// or one of the recovery codes instead.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { accounts, call } from "../../api/client";
import type { MfaChallenge, SessionRead } from "../../api/types";
import { TextField } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useFormErrors } from "../../components/useFormErrors";
import { useI18n } from "../../i18n";
import { looksLikeRecoveryCode, looksLikeTotpCode, secondFactorProblem } from "../security/codes";

const FIELDS = ["code", "recovery_code"] as const;
type Field = (typeof FIELDS)[number];

interface Props {
  challenge: MfaChallenge;
  onSignedIn: (session: SessionRead) => Promise<void>;
  /** The MFA token expired or was refused: back to the password. */
  onRestart: () => void;
}

export function SecondFactorStep({ challenge, onSignedIn, onRestart }: Props) {
  const { t } = useI18n();
  const form = useFormErrors<Field>("mfa", FIELDS);
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [expired, setExpired] = useState(false);
  const field: Field = useRecovery ? "recovery_code" : "code";
  const inputRef = useRef<HTMLInputElement>(null);
  // The step replaces the password form: start where the code goes.
  useEffect(() => inputRef.current?.focus(), [field]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const valid = useRecovery ? looksLikeRecoveryCode(value) : looksLikeTotpCode(value);
    if (form.check(valid ? {} : { [field]: t(useRecovery ? "mfa.error.recovery_code" : "mfa.error.code") })) return;
    setBusy(true);
    const second = useRecovery ? { recovery_code: value.trim() } : { code: value.trim() };
    const result = await call(accounts.POST("/v1/sessions/mfa", { body: { mfa_token: challenge.mfa_token, ...second } }));
    if (!result.ok) {
      setBusy(false);
      setExpired(result.problem.status === 401);
      return form.fail(secondFactorProblem(result.problem, field));
    }
    await onSignedIn(result.data);
  }

  function switchMethod() {
    setUseRecovery(!useRecovery);
    setValue("");
    form.reset();
  }

  return (
    <div className="card">
      <h1>{t("mfa.title")}</h1>
      <p className="lead">{t(useRecovery ? "mfa.lead_recovery" : "mfa.lead")}</p>
      <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
      {expired ? (
        <p>
          <button type="button" className="button" onClick={onRestart}>
            {t("mfa.restart")}
          </button>
        </p>
      ) : null}
      <form noValidate onSubmit={submit}>
        <TextField
          key={field}
          inputRef={inputRef}
          {...form.bind(field, value, setValue)}
          label={t(useRecovery ? "mfa.recovery_code" : "mfa.code")}
          hint={t(useRecovery ? "mfa.recovery_code_hint" : "mfa.code_hint")}
          autoComplete={useRecovery ? "off" : "one-time-code"}
          inputMode={useRecovery ? "text" : "numeric"}
          required
        />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? t("login.submitting") : t("mfa.submit")}
        </button>
      </form>
      <p className="card__footer">
        <button type="button" className="button button--link" onClick={switchMethod}>
          {t(useRecovery ? "mfa.use_code" : "mfa.use_recovery_code")}
        </button>
      </p>
    </div>
  );
}

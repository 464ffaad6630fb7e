// Two-factor sign-in: enrol (QR code, otpauth URI, the secret to type; confirmed by a first
// code, which answers the ten recovery codes, shown once) and turn off (proved by a code).
import { useState, type FormEvent } from "react";
import { accounts, call } from "../../api/client";
import { refresh } from "../../api/session";
import type { Problem, TotpEnrolment } from "../../api/types";
import { TextField } from "../../components/Field";
import { Notice, ProblemAlert } from "../../components/ProblemAlert";
import { useFormErrors } from "../../components/useFormErrors";
import { useI18n } from "../../i18n";
import { groupedSecret, looksLikeRecoveryCode, looksLikeTotpCode, secondFactorProblem } from "./codes";
import { RecoveryCodes } from "./RecoveryCodes";

const CONFIRM_FIELDS = ["code"] as const;

function Enrolment({ enrolment, onConfirmed }: { enrolment: TotpEnrolment; onConfirmed: (codes: string[]) => void }) {
  const { t } = useI18n();
  const form = useFormErrors<"code">("totp", CONFIRM_FIELDS);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (form.check(looksLikeTotpCode(code) ? {} : { code: t("mfa.error.code") })) return;
    setBusy(true);
    const result = await call(accounts.POST("/v1/accounts/me/totp/confirm", { body: { code: code.trim() } }));
    setBusy(false);
    if (!result.ok) return form.fail(result.problem);
    onConfirmed(result.data.recovery_codes);
  }

  return (
    <div className="enrolment">
      <ol className="enrolment__steps">
        <li>
          <p>{t("security.totp.scan")}</p>
          <img className="enrolment__qr" src={enrolment.qr_code} alt={t("security.totp.qr_alt")} width={200} height={200} />
        </li>
        <li>
          <p>{t("security.totp.manual")}</p>
          <dl className="summary">
            <div className="summary__row">
              <dt>{t("security.totp.secret")}</dt>
              <dd>
                <code id="totp-secret" data-secret={enrolment.secret}>
                  {groupedSecret(enrolment.secret)}
                </code>
              </dd>
            </div>
            <div className="summary__row">
              <dt>{t("security.totp.uri")}</dt>
              <dd>
                <code className="cell--wrap" id="totp-uri">
                  {enrolment.otpauth_uri}
                </code>
              </dd>
            </div>
          </dl>
        </li>
        <li>
          <p>{t("security.totp.confirm_text")}</p>
          <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
          <form noValidate onSubmit={submit} className="inline-form">
            <TextField
              {...form.bind("code", code, setCode)}
              label={t("mfa.code")}
              autoComplete="one-time-code"
              inputMode="numeric"
              required
            />
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("security.totp.confirm")}
            </button>
          </form>
        </li>
      </ol>
    </div>
  );
}

const DISABLE_FIELDS = ["code", "recovery_code"] as const;
type DisableField = (typeof DISABLE_FIELDS)[number];

function TurnOff({ onOff }: { onOff: () => void }) {
  const { t } = useI18n();
  const form = useFormErrors<DisableField>("totp-off", DISABLE_FIELDS);
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const field: DisableField = useRecovery ? "recovery_code" : "code";

  async function submit(event: FormEvent) {
    event.preventDefault();
    const valid = useRecovery ? looksLikeRecoveryCode(value) : looksLikeTotpCode(value);
    if (form.check(valid ? {} : { [field]: t(useRecovery ? "mfa.error.recovery_code" : "mfa.error.code") })) return;
    setBusy(true);
    const body = useRecovery ? { recovery_code: value.trim() } : { code: value.trim() };
    const result = await call(accounts.DELETE("/v1/accounts/me/totp", { body }));
    setBusy(false);
    if (!result.ok) return form.fail(secondFactorProblem(result.problem, field));
    onOff();
  }

  return (
    <>
      <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
      <form noValidate onSubmit={submit} className="inline-form">
        <TextField
          key={field}
          {...form.bind(field, value, setValue)}
          label={t(useRecovery ? "mfa.recovery_code" : "mfa.code")}
          autoComplete={useRecovery ? "off" : "one-time-code"}
          inputMode={useRecovery ? "text" : "numeric"}
          required
        />
        <button type="submit" className="button button--danger" disabled={busy}>
          {t("security.totp.turn_off")}
        </button>
      </form>
      <button
        type="button"
        className="button button--link"
        onClick={() => {
          setUseRecovery(!useRecovery);
          setValue("");
          form.reset();
        }}
      >
        {t(useRecovery ? "mfa.use_code" : "mfa.use_recovery_code")}
      </button>
    </>
  );
}

export function TwoFactorSection({ enabled }: { enabled: boolean }) {
  const { t } = useI18n();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function start() {
    setBusy(true);
    const result = await call(accounts.POST("/v1/accounts/me/totp"));
    setBusy(false);
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setNotice(null);
    setEnrolment(result.data);
  }

  let body;
  if (codes) {
    body = (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
          setNotice(t("security.totp.on_notice"));
        }}
      />
    );
  } else if (enabled) {
    body = (
      <>
        <p>
          <span className="badge badge--sent">{t("security.totp.on")}</span> {t("security.totp.on_text")}
        </p>
        <TurnOff
          onOff={() => {
            setNotice(t("security.totp.off_notice"));
            void refresh(); // new tokens: a staff role leaves them
          }}
        />
      </>
    );
  } else if (enrolment) {
    body = (
      <Enrolment
        enrolment={enrolment}
        onConfirmed={(recovery) => {
          setEnrolment(null);
          setCodes(recovery);
          void refresh(); // new tokens: a reviewer's or admin's now carry the role
        }}
      />
    );
  } else {
    body = (
      <>
        <p>{t("security.totp.off_text")}</p>
        <button type="button" className="button button--primary" onClick={() => void start()} disabled={busy}>
          {t("security.totp.start")}
        </button>
      </>
    );
  }

  return (
    <section className="panel" aria-labelledby="totp-title">
      <h2 id="totp-title">{t("security.totp.title")}</h2>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ProblemAlert problem={problem} />
      {body}
    </section>
  );
}

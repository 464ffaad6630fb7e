// "Send a new link": mails a new verification link; the server allows one a minute and its
// Retry-After is shown as a countdown while the button waits.
import { useEffect, useState } from "react";
import { accounts, call } from "../../api/client";
import { problemSlug } from "../../api/problem";
import type { Problem } from "../../api/types";
import { Notice, ProblemAlert } from "../../components/ProblemAlert";
import { useI18n } from "../../i18n";
import { refreshAccount } from "./refreshAccount";
import { retryAfterSeconds } from "./retryAfter";

/** Seconds left until `until` (a Date.now() value), ticking each second; 0 once passed. */
function useSecondsUntil(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

export function ResendVerification({ email, className = "button" }: { email: string; className?: string }) {
  const { t, formatDateTime } = useI18n();
  const [busy, setBusy] = useState(false);
  const [sentUntil, setSentUntil] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const wait = useSecondsUntil(waitUntil);

  async function resend() {
    setBusy(true);
    const result = await call(accounts.POST("/v1/accounts/me/email-verification"));
    setBusy(false);
    if (result.ok) {
      setProblem(null);
      setSentUntil(result.data.expires_at);
      return;
    }
    if (problemSlug(result.problem) === "email-already-verified") {
      await refreshAccount(); // verified meanwhile (another tab, another browser): the reminder goes
      return;
    }
    const seconds = retryAfterSeconds(result.response?.headers.get("Retry-After"));
    setWaitUntil(seconds === null ? null : Date.now() + seconds * 1000);
    setProblem(seconds === null ? result.problem : null);
  }

  return (
    <div className="resend">
      <button type="button" className={className} onClick={() => void resend()} disabled={busy || wait > 0}>
        {busy ? t("verify.resend.sending") : t("verify.resend.button")}
      </button>
      {wait > 0 ? (
        <p className="muted" role="status">
          {t("verify.resend.wait", { seconds: wait })}
        </p>
      ) : null}
      {sentUntil && wait === 0 ? <Notice kind="success">{t("verify.resend.sent", { email, until: formatDateTime(sentUntil) })}</Notice> : null}
      <ProblemAlert problem={problem} />
    </div>
  );
}

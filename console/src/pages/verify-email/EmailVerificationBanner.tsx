// The reminder on every console page until the email is verified, with "send a new link".
import { useEffect } from "react";
import { useSession } from "../../auth";
import { useI18n } from "../../i18n";
import { refreshAccount } from "./refreshAccount";
import { ResendVerification } from "./ResendVerification";

export function EmailVerificationBanner() {
  const session = useSession();
  const { t } = useI18n();
  const unverified = session.status === "signed_in" && !session.account.email_verified;

  // The link may be opened in another tab or browser: look again when the user comes back.
  useEffect(() => {
    if (!unverified) return;
    const onVisible = () => {
      if (document.visibilityState === "visible") void refreshAccount();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [unverified]);

  if (session.status !== "signed_in" || !unverified) return null;
  return (
    <section className="alert alert--warning verify-banner" aria-labelledby="verify-banner-title">
      <p className="alert__title" id="verify-banner-title">
        {t("verify.banner.title")}
      </p>
      <p>{t("verify.banner.text", { email: session.account.email })}</p>
      <ResendVerification email={session.account.email} className="button button--small" />
    </section>
  );
}

// `/account/security`: the email and its verification, two-factor sign-in, the password.
// Staff whose role waits for two-factor sign-in are sent here first (next_step enrol_two_factor).
import { Link } from "react-router";
import { useSignedIn } from "../../auth";
import { Notice } from "../../components/ProblemAlert";
import { useI18n, type MessageKey } from "../../i18n";
import { homePath } from "../../routes";
import { ResendVerification } from "../verify-email/ResendVerification";
import { AccountPage } from "./AccountPages";
import { ChangePasswordSection } from "./ChangePasswordSection";
import { TwoFactorSection } from "./TwoFactorSection";

const ROLE_NAMES: Record<string, MessageKey> = { reviewer: "security.role.reviewer", admin: "security.role.admin" };

export function SecurityPage() {
  const { t } = useI18n();
  const { account, nextStep } = useSignedIn();
  const awaiting = account.roles_awaiting_two_factor;
  const staffReady = !awaiting.length && account.two_factor_enabled && account.roles.some((r) => r in ROLE_NAMES);

  return (
    <AccountPage title={t("security.title")} lead={t("security.lead")}>
      {awaiting.length ? (
        <div className="alert alert--warning" role="status">
          <p className="alert__title">{t("security.enrol_required.title")}</p>
          <p>{t("security.enrol_required.text", { roles: awaiting.map((r) => t(ROLE_NAMES[r] ?? "security.role.staff")).join(", ") })}</p>
        </div>
      ) : null}
      {staffReady ? (
        <Notice kind="success">
          {t("security.staff_ready")} <Link to={homePath(account, nextStep)}>{t("security.staff_continue")}</Link>
        </Notice>
      ) : null}
      <section className="panel" aria-labelledby="email-title">
        <h2 id="email-title">{t("security.email.title")}</h2>
        <p>
          {account.email}{" "}
          <span className={`badge ${account.email_verified ? "badge--sent" : "badge--pending"}`}>
            {t(account.email_verified ? "security.email.verified" : "security.email.unverified")}
          </span>
        </p>
        {account.email_verified ? null : <ResendVerification email={account.email} />}
      </section>
      <TwoFactorSection enabled={account.two_factor_enabled} />
      <ChangePasswordSection />
    </AccountPage>
  );
}

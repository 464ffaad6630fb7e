// What the account pages share: the shell and the tabs between security and sessions.
import type { ReactNode } from "react";
import { NavLink } from "react-router";
import { AppShell } from "../../components/Layout";
import { useI18n } from "../../i18n";
import { PATHS } from "../../routes";

export function AccountPage({ title, lead, children }: { title: string; lead: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <AppShell>
      <div className="page page--narrow">
        <h1>{title}</h1>
        <p className="lead">{lead}</p>
        <nav className="tabs" aria-label={t("account.tabs")}>
          <NavLink to={PATHS.security} className={({ isActive }) => `tabs__tab${isActive ? " is-active" : ""}`}>
            {t("account.security")}
          </NavLink>
          <NavLink to={PATHS.sessions} className={({ isActive }) => `tabs__tab${isActive ? " is-active" : ""}`}>
            {t("account.sessions")}
          </NavLink>
        </nav>
        {children}
      </div>
    </AppShell>
  );
}

import { useEffect, useRef, type ReactNode } from "react";
import { Link, NavLink, useLocation, useNavigate } from "react-router";
import { logOut } from "../api/session";
import { useSession } from "../auth";
import { useI18n, type MessageKey } from "../i18n";
import { PATHS, workspacePaths } from "../routes";
import { EmailVerificationBanner } from "../pages/verify-email/EmailVerificationBanner";
import { LanguageSwitch } from "./LanguageSwitch";

function Brand() {
  const { t } = useI18n();
  return (
    <Link to="/" className="brand">
      <span className="brand__mark" aria-hidden="true">
        M
      </span>
      <span className="brand__name">{t("app.name")}</span>
    </Link>
  );
}

function SkipLink() {
  const { t } = useI18n();
  return (
    <a className="skip-link" href="#main">
      {t("common.skip_to_content")}
    </a>
  );
}

/** Moves focus to the page's main heading after a navigation, so screen reader and keyboard
 * users start at the new page (a SPA does not reset focus by itself). */
function useFocusOnNavigate() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>("main h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
    }
  }, [location.pathname]);
}

function AccountMenu() {
  const session = useSession();
  const navigate = useNavigate();
  const { t } = useI18n();
  if (session.status !== "signed_in") return null;
  return (
    <div className="account-menu">
      <span className="account-menu__who" title={session.account.email}>
        {session.account.full_name}
      </span>
      <Link to={PATHS.security} className="button button--ghost button--small">
        {t("nav.account")}
      </Link>
      <button
        type="button"
        className="button button--ghost button--small"
        onClick={async () => {
          await logOut();
          navigate(PATHS.login, { replace: true });
        }}
      >
        {t("nav.logout")}
      </button>
    </div>
  );
}

/** Signup, login, terms: the brand, the language switch and a centred card. */
export function PublicLayout({ children }: { children: ReactNode }) {
  useFocusOnNavigate();
  return (
    <div className="public">
      <SkipLink />
      <header className="topbar">
        <Brand />
        <div className="topbar__end">
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" className="public__main">
        {children}
      </main>
    </div>
  );
}

interface NavItem {
  to: string;
  label: MessageKey;
  end?: boolean;
}

function navItems(roles: readonly string[], workspaceId: string | null, merchantNav: boolean): NavItem[] {
  const items: NavItem[] = [];
  if (workspaceId) {
    const paths = workspacePaths(workspaceId);
    items.push(
      { to: paths.miniPrograms, label: "nav.mini_programs" },
      { to: paths.members, label: "nav.members" },
      { to: paths.activity, label: "nav.activity" },
    );
  }
  if (merchantNav && !roles.includes("reviewer") && !roles.includes("admin")) {
    items.push({ to: PATHS.workspaces, label: "nav.workspaces", end: true });
  }
  if (roles.includes("reviewer")) items.push({ to: PATHS.reviewQueue, label: "nav.review_queue" });
  if (roles.includes("admin")) items.push({ to: PATHS.notifications, label: "nav.notifications" });
  return items;
}

/** The console: header (brand, workspace switcher, language, account) and the left nav. */
export function AppShell({
  children,
  switcher,
  workspaceId = null,
  merchantNav = true,
}: {
  children: ReactNode;
  switcher?: ReactNode;
  workspaceId?: string | null;
  /** false on the application pages: a merchant without a workspace has nowhere else to go. */
  merchantNav?: boolean;
}) {
  const session = useSession();
  const { t } = useI18n();
  useFocusOnNavigate();
  const roles = session.status === "signed_in" ? session.account.roles : [];
  const items = navItems(roles, workspaceId, merchantNav);
  return (
    <div className="shell">
      <SkipLink />
      <header className="topbar topbar--app">
        <Brand />
        {switcher ? <div className="topbar__switcher">{switcher}</div> : null}
        <div className="topbar__end">
          <LanguageSwitch />
          <AccountMenu />
        </div>
      </header>
      <div className="shell__body">
        {items.length ? (
          <nav className="sidenav" aria-label={t("nav.label")}>
            <ul>
              {items.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end} className={({ isActive }) => `sidenav__link${isActive ? " is-active" : ""}`}>
                    {t(item.label)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="main" className={`shell__main${items.length ? "" : " shell__main--centred"}`}>
          <EmailVerificationBanner />
          {children}
        </main>
      </div>
    </div>
  );
}

// React's view of the session (api/session.ts) and the route guards.
import { useSyncExternalStore, type ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { getSession, subscribe, type SessionState } from "./api/session";
import { Loading } from "./components/Loading";
import { PATHS } from "./routes";

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, getSession, getSession);
}

/** The signed-in account, inside RequireAuth. */
export function useSignedIn() {
  const session = useSession();
  if (session.status !== "signed_in") throw new Error("useSignedIn outside RequireAuth");
  return session;
}

export function RequireAuth({ children, role }: { children: ReactNode; role?: "reviewer" | "admin" }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === "unknown") return <Loading />;
  if (session.status === "anonymous") {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`${PATHS.login}?next=${next}`} replace />;
  }
  // A staff role held but not yet in the tokens (no two-factor sign-in): enrol first.
  if (role && session.account.roles_awaiting_two_factor.includes(role)) return <Navigate to={PATHS.security} replace />;
  if (role && !session.account.roles.includes(role)) return <Navigate to="/" replace />;
  return <>{children}</>;
}

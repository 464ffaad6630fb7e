import { useEffect } from "react";
import { useNavigate } from "react-router";
import { useSession } from "../../auth";
import { Loading } from "../../components/Loading";
import { resolveHome } from "../../home";
import { PATHS } from "../../routes";

/** `/`: where next_step (or the staff role) says the user belongs. */
export function HomeRedirect() {
  const session = useSession();
  const navigate = useNavigate();
  useEffect(() => {
    if (session.status === "anonymous") navigate(PATHS.login, { replace: true });
    if (session.status === "signed_in") {
      void resolveHome(session.account, session.nextStep).then((to) => navigate(to, { replace: true }));
    }
  }, [session, navigate]);
  return <Loading />;
}

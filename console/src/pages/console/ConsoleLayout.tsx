import { createContext, useCallback, useContext, useEffect, useState } from "react";
import { Navigate, Outlet, useLocation, useNavigate, useParams } from "react-router";
import { call, workspaces as workspacesApi } from "../../api/client";
import type { Problem, Workspace } from "../../api/types";
import { AppShell } from "../../components/Layout";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useI18n } from "../../i18n";
import { PATHS, workspacePaths } from "../../routes";

const REMEMBERED_WORKSPACE = "mpp.workspace";

interface ConsoleState {
  workspaces: Workspace[];
  reload: () => Promise<void>;
}

const ConsoleContext = createContext<ConsoleState | null>(null);

export function useConsole(): ConsoleState {
  const state = useContext(ConsoleContext);
  if (!state) throw new Error("useConsole outside ConsoleLayout");
  return state;
}

/** The workspace of the URL (`/console/w/:workspaceId/...`) and the caller's role in it. */
export function useWorkspace(): Workspace {
  const { workspaces } = useConsole();
  const { workspaceId } = useParams();
  const workspace = workspaces.find((w) => w.id === workspaceId);
  if (!workspace) throw new Error("useWorkspace outside a known workspace");
  return workspace;
}

export function rememberedWorkspace(workspaces: Workspace[]): Workspace | undefined {
  let remembered: string | null = null;
  try {
    remembered = localStorage.getItem(REMEMBERED_WORKSPACE);
  } catch {
    // no storage: as if nothing was remembered
  }
  // Nothing remembered (a first visit, another browser): the workspace the user owns, not one
  // they were added to elsewhere, which may come first in the list.
  return workspaces.find((w) => w.id === remembered) ?? workspaces.find((w) => w.my_role === "owner") ?? workspaces[0];
}

function WorkspaceSwitcher({ workspaces, current }: { workspaces: Workspace[]; current: string | undefined }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  if (!workspaces.length) return null;
  return (
    <div className="switcher">
      <label htmlFor="workspace-switcher" className="switcher__label">
        {t("console.switcher.label")}
      </label>
      <select
        id="workspace-switcher"
        className="input input--compact"
        value={current ?? ""}
        onChange={(e) => {
          const id = e.target.value;
          // Stay on the same kind of page (members stay members) in the other workspace.
          const onMembers = location.pathname.endsWith("/members");
          navigate(onMembers ? workspacePaths(id).members : workspacePaths(id).miniPrograms);
        }}
      >
        {current ? null : <option value="">{t("console.switcher.choose")}</option>}
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** `/console/...`: the caller's workspaces, the switcher in the header, the left nav. */
export function ConsoleLayout() {
  const { workspaceId } = useParams();
  const { t } = useI18n();
  const [workspaces, setWorkspaces] = useState<Workspace[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const reload = useCallback(async () => {
    const result = await call(workspacesApi.GET("/v1/workspaces"));
    if (result.ok) {
      setWorkspaces(result.data.items);
      setProblem(null);
    } else setProblem(result.problem);
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(() => {
    if (!workspaceId) return;
    try {
      localStorage.setItem(REMEMBERED_WORKSPACE, workspaceId);
    } catch {
      // not remembered
    }
  }, [workspaceId]);

  const known = workspaces?.some((w) => w.id === workspaceId);
  let content;
  if (problem) content = <ProblemAlert problem={problem} />;
  else if (!workspaces) content = <Loading />;
  else if (workspaceId && !known) {
    content = (
      <div className="page">
        <h1>{t("console.workspace_not_found.title")}</h1>
        <p>{t("console.workspace_not_found.text")}</p>
      </div>
    );
  } else {
    const current = workspaces.find((w) => w.id === workspaceId);
    content =
      current && current.status !== "active" ? (
        <div className="page">
          <h1>{current.name}</h1>
          <Loading label={t("apply.status.approved.setting_up")} />
        </div>
      ) : (
        <Outlet />
      );
  }

  return (
    <ConsoleContext.Provider value={{ workspaces: workspaces ?? [], reload }}>
      <AppShell workspaceId={known ? workspaceId : null} switcher={<WorkspaceSwitcher workspaces={workspaces ?? []} current={known ? workspaceId : undefined} />}>
        {content}
      </AppShell>
    </ConsoleContext.Provider>
  );
}

/** `/console`: the remembered (or first) workspace, or the application when there is none. */
export function ConsoleHome() {
  const { workspaces } = useConsole();
  const target = rememberedWorkspace(workspaces);
  if (target) return <Navigate to={workspacePaths(target.id).miniPrograms} replace />;
  return <Navigate to={PATHS.workspaces} replace />;
}

import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { Navigate, Outlet, useLocation } from "react-router";
import { call, workspaces } from "../../api/client";
import type { Application, DraftUpdate, Problem } from "../../api/types";
import { AppShell } from "../../components/Layout";
import { Loading } from "../../components/Loading";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useI18n, type MessageKey } from "../../i18n";
import { draftStepPath, PATHS } from "../../routes";

interface ApplyState {
  /** undefined while loading; null when the user has not applied yet. */
  application: Application | null;
  setApplication: (application: Application) => void;
  saveDraft: (update: DraftUpdate) => Promise<{ ok: true; application: Application } | { ok: false; problem: Problem }>;
}

const ApplyContext = createContext<ApplyState | null>(null);

export function useApply(): ApplyState {
  const state = useContext(ApplyContext);
  if (!state) throw new Error("useApply outside ApplyLayout");
  return state;
}

const STEPS: ReadonlyArray<{ path: string; label: MessageKey }> = [
  { path: PATHS.applyRole, label: "apply.step.role" },
  { path: PATHS.applyDetails, label: "apply.step.details" },
  { path: PATHS.applyReview, label: "apply.step.review" },
  { path: PATHS.applyStatus, label: "apply.step.submit" },
];

function Stepper({ current }: { current: number }) {
  const { t } = useI18n();
  return (
    <ol className="stepper" aria-label={t("apply.steps_label")}>
      {STEPS.map((step, index) => {
        const state = index < current ? "done" : index === current ? "current" : "todo";
        return (
          <li key={step.path} className={`stepper__step stepper__step--${state}`} aria-current={state === "current" ? "step" : undefined}>
            <span className="stepper__number" aria-hidden="true">
              {state === "done" ? "✓" : index + 1}
            </span>
            <span className="stepper__label">
              {t(step.label)}
              {state === "done" ? <span className="visually-hidden"> ({t("apply.step_done")})</span> : null}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** The application pages: the current application loaded once, saved through here. */
export function ApplyLayout() {
  const { t } = useI18n();
  const location = useLocation();
  const [application, setApplication] = useState<Application | null | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    void call(workspaces.GET("/v1/workspace-applications/current")).then((result) => {
      if (result.ok) setApplication(result.data);
      else if (result.problem.status === 404) setApplication(null);
      else setProblem(result.problem);
    });
  }, []);

  const saveDraft = useCallback(async (update: DraftUpdate) => {
    const result = await call(workspaces.PUT("/v1/workspace-applications/draft", { body: update }));
    if (!result.ok) return { ok: false as const, problem: result.problem };
    setApplication(result.data);
    return { ok: true as const, application: result.data };
  }, []);

  let content: ReactNode;
  if (problem) content = <ProblemAlert problem={problem} />;
  else if (application === undefined) content = <Loading />;
  else {
    const onStatus = location.pathname === PATHS.applyStatus;
    const submitted = application !== null && application.status !== "draft";
    // A submitted application cannot be edited: its status is the only page; a draft resumes.
    if (submitted && !onStatus) content = <Navigate to={PATHS.applyStatus} replace />;
    else if (!submitted && onStatus) content = <Navigate to={draftStepPath(application?.step)} replace />;
    else if (!application && location.pathname !== PATHS.applyRole) content = <Navigate to={PATHS.applyRole} replace />;
    else {
      const index = STEPS.findIndex((s) => s.path === location.pathname);
      content = (
        <ApplyContext.Provider value={{ application, setApplication, saveDraft }}>
          {onStatus ? null : <Stepper current={index} />}
          <Outlet />
        </ApplyContext.Provider>
      );
    }
  }

  return (
    <AppShell merchantNav={false}>
      <div className="page page--narrow">
        <p className="eyebrow">{t("apply.eyebrow")}</p>
        {content}
      </div>
    </AppShell>
  );
}

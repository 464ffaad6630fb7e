import { forwardRef } from "react";
import { fieldName } from "../api/problem";
import type { FieldProblem, Problem } from "../api/types";
import { useI18n } from "../i18n";
import { fieldMessage } from "../i18n/fieldErrors";
import { problemTitle } from "../i18n/problems";

interface Props {
  problem: Problem | null;
  /** Field errors not shown beside a field of this form. */
  unplaced?: FieldProblem[];
}

/** The problem+json of a failed request: a headline in the user's language, the server's
 * `detail`, and any field errors no field shows. role=alert: announced when it appears. */
export const ProblemAlert = forwardRef<HTMLDivElement, Props>(function ProblemAlert({ problem, unplaced = [] }, ref) {
  const { t } = useI18n();
  return (
    <div ref={ref} role="alert" tabIndex={-1} className={problem ? "alert alert--error" : "alert alert--empty"}>
      {problem ? (
        <>
          <p className="alert__title">{problemTitle(problem, t)}</p>
          {problem.detail ? <p className="alert__detail">{problem.detail}</p> : null}
          {unplaced.length ? (
            <ul className="alert__list">
              {unplaced.map((e, i) => (
                <li key={i}>
                  <code>{fieldName(e)}</code>: {fieldMessage(e, t)}
                </li>
              ))}
            </ul>
          ) : null}
          {problem.request_id ? (
            <p className="alert__meta">{t("problem.request_id", { id: problem.request_id })}</p>
          ) : null}
        </>
      ) : null}
    </div>
  );
});

export function Notice({ kind = "info", children }: { kind?: "info" | "success" | "warning"; children: React.ReactNode }) {
  return (
    <div className={`alert alert--${kind}`} role="status">
      {children}
    </div>
  );
}

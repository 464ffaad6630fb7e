import { useEffect, useState } from "react";
import { call, workspaces } from "../../api/client";
import type { ActivityEntry, Problem } from "../../api/types";
import { useSession } from "../../auth";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useI18n } from "../../i18n";
import "./activity.css";
import { ActivityTable } from "./ActivityTable";
import { pageOf } from "./exporting";

/** The applicant's own application history (submitted, decided), on the status page. */
export function ApplicationHistory({ applicationId, status }: { applicationId: string; status: string }) {
  const { t } = useI18n();
  const session = useSession();
  const [entries, setEntries] = useState<ActivityEntry[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    void call(workspaces.GET("/v1/workspace-applications/{id}/activity", { params: { path: { id: applicationId } } })).then((r) => {
      if (!r.ok) return setProblem(r.problem);
      setProblem(null);
      setEntries(pageOf(r.data).items);
    });
  }, [applicationId, status]); // a decision arriving adds an entry

  // The applicant is named as "you"; reviewers and the platform by what they are.
  const me = session.status === "signed_in" ? session.account.id : "";
  const names = new Map([[me, t("activity.actor.you")]]);
  return (
    <section className="panel" aria-labelledby="application-history-title">
      <h2 id="application-history-title">{t("activity.history.title")}</h2>
      <ProblemAlert problem={problem} />
      {entries && entries.length === 0 ? <p className="muted">{t("activity.history.empty")}</p> : null}
      {entries && entries.length > 0 ? <ActivityTable entries={entries} names={names} caption={t("activity.history.title")} naming={{ unknown: "activity.actor.reviewer", me }} /> : null}
    </section>
  );
}

import type { ActivityEntry } from "../../api/types";
import { useI18n, type MessageKey } from "../../i18n";
import { describe, type Names } from "./describe";

/** Entries newest first: when, who, what, and the fields before and after. */
interface Props {
  entries: ActivityEntry[];
  names: Names;
  caption: string;
  /** How to name someone not in `names` (see describe). */
  unknownActor?: MessageKey;
}

export function ActivityTable({ entries, names, caption, unknownActor }: Props) {
  const { t, formatDateTime } = useI18n();
  return (
    <table className="table activity-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("activity.when")}</th>
          <th scope="col">{t("activity.who")}</th>
          <th scope="col">{t("activity.what")}</th>
          <th scope="col">{t("activity.changes")}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => {
          const d = describe(entry, names, t, unknownActor);
          return (
            <tr key={entry.id} data-kind={entry.kind}>
              <td>
                <time dateTime={entry.occurred_at}>{formatDateTime(entry.occurred_at)}</time>
              </td>
              <td>{d.actor}</td>
              <td>
                <span className="badge">{d.kind}</span>
                <div>{d.text}</div>
              </td>
              <td>
                {d.changes.length ? (
                  <ul className="activity-table__changes">
                    {d.changes.map((c, i) => (
                      <li key={i}>{c}</li>
                    ))}
                  </ul>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

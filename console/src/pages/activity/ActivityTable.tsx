import type { ActivityEntry } from "../../api/types";
import { useI18n } from "../../i18n";
import { describe, type Names, type Naming } from "./describe";

/** Entries newest first: when, who, what, and the fields before and after. */
interface Props {
  entries: ActivityEntry[];
  names: Names;
  caption: string;
  /** How to name someone the entry does not name (see describe). */
  naming?: Naming;
}

export function ActivityTable({ entries, names, caption, naming }: Props) {
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
          const d = describe(entry, names, t, naming);
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

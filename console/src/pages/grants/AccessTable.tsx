import { useState, type ReactNode } from "react";
import type { Problem } from "../../api/types";
import { Notice, ProblemAlert } from "../../components/ProblemAlert";
import { useI18n, type MessageKey, type Vars } from "../../i18n";

export interface AccessItem {
  key: string;
  /** Who or what the row is about, for the visible cells and the buttons' names. */
  name: string;
  cells: ReactNode[];
  granted: boolean;
}

interface Props {
  caption: string;
  headers: string[];
  items: AccessItem[];
  /** Grant or take away; resolves to the server's problem, or null when done. */
  onChange: (item: AccessItem, granted: boolean) => Promise<Problem | null>;
  /** The notice after a change, e.g. "Bo can now work on Lunch". */
  changed: (item: AccessItem, granted: boolean) => { key: MessageKey; vars: Vars };
}

/** Rows of access, each with its state and the button that changes it; the outcome announced. */
export function AccessTable({ caption, headers, items, onChange, changed }: Props) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<{ key: MessageKey; vars: Vars } | null>(null);

  async function toggle(item: AccessItem) {
    const granted = !item.granted;
    setBusy(item.key);
    setNotice(null);
    const failed = await onChange(item, granted);
    setBusy(null);
    setProblem(failed);
    if (!failed) setNotice(changed(item, granted));
  }

  return (
    <>
      {notice ? <Notice kind="success">{t(notice.key, notice.vars)}</Notice> : null}
      <ProblemAlert problem={problem} />
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {headers.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
            <th scope="col">{t("grants.access")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("mp.list.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.key}>
              {item.cells.map((cell, i) => (
                <td key={i}>{cell}</td>
              ))}
              <td>
                <span className={`badge ${item.granted ? "badge--sent" : ""}`}>{item.granted ? t("grants.granted") : t("grants.not_granted")}</span>
              </td>
              <td>
                <button
                  type="button"
                  className={`button button--small${item.granted ? " button--danger" : " button--primary"}`}
                  disabled={busy === item.key}
                  onClick={() => void toggle(item)}
                >
                  {item.granted ? t("grants.revoke") : t("grants.grant")}
                  <span className="visually-hidden"> {item.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

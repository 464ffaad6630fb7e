// The ten recovery codes, shown once: copy them or download them as a text file.
import { useEffect, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import { recoveryCodesText } from "./codes";

export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const text = recoveryCodesText(codes, t("security.codes.file_heading"));

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false); // no clipboard (permissions): the codes stay on screen to select
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "mpp-recovery-codes.txt";
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <div className="recovery-codes">
      <h3 ref={headingRef} tabIndex={-1}>
        {t("security.codes.title")}
      </h3>
      <p>{t("security.codes.text")}</p>
      <ol className="recovery-codes__list" aria-label={t("security.codes.title")}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void copy()}>
          {t("security.codes.copy")}
        </button>
        <button type="button" className="button" onClick={download}>
          {t("security.codes.download")}
        </button>
        <button type="button" className="button button--primary" onClick={onDone}>
          {t("security.codes.done")}
        </button>
      </div>
      <p className="muted" role="status">
        {copied ? t("security.codes.copied") : ""}
      </p>
    </div>
  );
}

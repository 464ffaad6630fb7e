import { useRef, useState, type ReactNode } from "react";
import { checkLogoFile, MAX_LOGO_BYTES, type LogoProblem } from "../rules/logo";
import { useI18n, type Translate } from "../i18n";
import { useObjectUrl } from "./BlobImage";
import { FieldShell } from "./Field";

export function logoProblemText(problem: LogoProblem, t: Translate): string {
  switch (problem.kind) {
    case "empty":
      return t("logo.problem.empty");
    case "too_large":
      return t("logo.problem.too_large", { size: Math.ceil(problem.size / 1024), max: problem.max / 1024 });
    case "type":
      return t("logo.problem.type");
    case "unreadable":
      return t("logo.problem.unreadable");
    case "not_square":
      return t("logo.problem.not_square", { width: problem.width, height: problem.height });
  }
}

interface Props {
  id: string;
  label: string;
  /** The accepted file, previewed. */
  file: Blob | null;
  /** What to preview when no file was chosen (the current or the default logo). */
  fallback: ReactNode;
  onAccept: (file: File) => void;
  onRemove?: () => void;
  removeLabel?: string;
  /** The server's word on the last upload (it is the authority). */
  error?: string | undefined;
  required?: boolean;
  busy?: boolean;
}

/** A logo chooser that checks the file before upload (type by its bytes, at most 256 KB,
 * square) and previews it live; a refused file is not passed on. */
export function LogoUpload({ id, label, file, fallback, onAccept, onRemove, removeLabel, error, required, busy }: Props) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [localError, setLocalError] = useState<string | undefined>();
  const [checking, setChecking] = useState(false);
  const url = useObjectUrl(file);
  const [chosenName, setChosenName] = useState<string | null>(null);

  async function choose(chosen: File | undefined) {
    if (!chosen) return;
    setChecking(true);
    const { problems } = await checkLogoFile(chosen);
    setChecking(false);
    if (problems.length) {
      setLocalError(problems.map((p) => logoProblemText(p, t)).join(" "));
      if (input.current) input.current.value = "";
      return;
    }
    setLocalError(undefined);
    setChosenName(chosen.name);
    onAccept(chosen);
  }

  return (
    <FieldShell
      id={id}
      label={label}
      required={required}
      error={localError ?? error}
      hint={t("logo.hint", { max: MAX_LOGO_BYTES / 1024 })}
      className="field--logo"
    >
      {(aria) => (
        <div className="logo-upload">
          <div className="logo-upload__preview" aria-live="polite">
            {url ? <img className="logo-image" src={url} alt={t("logo.preview_alt")} width={96} height={96} /> : fallback}
          </div>
          <div className="logo-upload__controls">
            {/* The native control's text follows the browser's language, not the console's: it is
                hidden (still focusable) behind a button-styled label in the chosen language. */}
            <input
              {...aria}
              ref={input}
              className="file-input visually-hidden"
              type="file"
              accept="image/png,image/jpeg"
              disabled={busy || checking}
              onChange={(e) => void choose(e.target.files?.[0])}
            />
            <label htmlFor={id} className="button file-button" aria-hidden="true">
              {file ? t("logo.replace") : t("logo.choose")}
            </label>
            <span className="muted file-name">{chosenName ?? (file ? t("logo.current") : t("logo.none_chosen"))}</span>
            {checking || busy ? <p className="field__hint">{t("logo.checking")}</p> : null}
            {onRemove ? (
              <button type="button" className="button button--link" onClick={onRemove} disabled={busy}>
                {removeLabel ?? t("logo.remove")}
              </button>
            ) : null}
          </div>
        </div>
      )}
    </FieldShell>
  );
}

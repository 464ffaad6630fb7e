import { LANGUAGES, useI18n, type Language } from "../i18n";

const NAMES: Record<Language, string> = { "zh-CN": "简体中文", en: "English" };

/** Both languages by their own names; the choice is remembered. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <div className="language-switch" role="group" aria-label={t("language.switch")}>
      {LANGUAGES.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          className={`language-switch__option${code === language ? " is-active" : ""}`}
          aria-pressed={code === language}
          onClick={() => setLanguage(code)}
        >
          {NAMES[code]}
        </button>
      ))}
    </div>
  );
}

import { useI18n, type MessageKey } from "../../i18n";

const SECTIONS: ReadonlyArray<{ heading: MessageKey; body: MessageKey }> = [
  { heading: "terms.s1.heading", body: "terms.s1.body" },
  { heading: "terms.s2.heading", body: "terms.s2.body" },
  { heading: "terms.s3.heading", body: "terms.s3.body" },
  { heading: "terms.s4.heading", body: "terms.s4.body" },
  { heading: "terms.s5.heading", body: "terms.s5.body" },
  { heading: "terms.s6.heading", body: "terms.s6.body" },
  { heading: "terms.s7.heading", body: "terms.s7.body" },
];

/** The Terms of Service (a template to be replaced by the operator's legal text). */
export function TermsText() {
  const { t } = useI18n();
  return (
    <div className="terms">
      <p className="terms__template">{t("terms.template_notice")}</p>
      <p>{t("terms.version")}</p>
      <p>{t("terms.intro")}</p>
      {SECTIONS.map((section) => (
        <section key={section.heading}>
          <h3>{t(section.heading)}</h3>
          <p>{t(section.body)}</p>
        </section>
      ))}
    </div>
  );
}

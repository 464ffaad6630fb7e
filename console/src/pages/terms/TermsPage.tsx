import { Link } from "react-router";
import { PublicLayout } from "../../components/Layout";
import { useI18n } from "../../i18n";
import { PATHS } from "../../routes";
import { TermsText } from "./TermsText";

export function TermsPage() {
  const { t } = useI18n();
  return (
    <PublicLayout>
      <article className="card card--wide">
        <h1>{t("terms.title")}</h1>
        <TermsText />
        <p>
          <Link to={PATHS.signup}>{t("terms.back_to_signup")}</Link>
        </p>
      </article>
    </PublicLayout>
  );
}

import { Link } from "react-router";
import { PublicLayout } from "../../components/Layout";
import { useI18n } from "../../i18n";

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <PublicLayout>
      <div className="card">
        <h1>{t("not_found.title")}</h1>
        <p>{t("not_found.text")}</p>
        <Link to="/">{t("not_found.home")}</Link>
      </div>
    </PublicLayout>
  );
}

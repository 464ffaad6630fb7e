import { useI18n } from "../i18n";

/** Whether the applicant proved their email by its link (reviewers' views only; null elsewhere). */
export function EmailVerifiedBadge({ verified }: { verified: boolean | null | undefined }) {
  const { t } = useI18n();
  if (verified === null || verified === undefined) return null;
  return (
    <span className={`badge ${verified ? "badge--sent" : "badge--pending"}`}>
      {t(verified ? "review.email_verified" : "review.email_unverified")}
    </span>
  );
}

import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { call, workspaces } from "../../../api/client";
import { rawImageBody } from "../../../api/escape";
import type { DraftStep, Problem } from "../../../api/types";
import { BlobImage } from "../../../components/BlobImage";
import { TextField } from "../../../components/Field";
import { LogoUpload } from "../../../components/LogoUpload";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useFormErrors } from "../../../components/useFormErrors";
import { useI18n } from "../../../i18n";
import { fieldMessage } from "../../../i18n/fieldErrors";
import { draftStepPath } from "../../../routes";
import { COMPANY_NAME_MAX, CONTACT_NUMBER, looksLikeEmail, looksLikeWebsite } from "../../../rules/fields";
import { useApply } from "../ApplyLayout";
import { ApplicationDefaultLogo, loadApplicationLogo } from "../shared";

const FIELDS = ["company_name", "logo", "website", "contact_number", "contact_email"] as const;
type Field = (typeof FIELDS)[number];

const orNull = (value: string) => (value.trim() ? value.trim() : null);

/** Step 2: business details, saved to the server-side draft on each step. */
export function DetailsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { application, setApplication, saveDraft } = useApply();
  const form = useFormErrors<Field>("details", FIELDS);
  const [companyName, setCompanyName] = useState(application?.company_name ?? "");
  const [website, setWebsite] = useState(application?.website ?? "");
  const [contactNumber, setContactNumber] = useState(application?.contact_number ?? "");
  const [contactEmail, setContactEmail] = useState(application?.contact_email ?? "");
  const [logoFile, setLogoFile] = useState<Blob | null>(null);
  const [logoProblem, setLogoProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [logoBusy, setLogoBusy] = useState(false);

  if (!application) return null; // ApplyLayout sends a user without a draft to the role step

  function validate(): Partial<Record<Field, string>> {
    const found: Partial<Record<Field, string>> = {};
    if (!companyName.trim()) found.company_name = t("apply.details.error.company_name");
    else if (companyName.trim().length > COMPANY_NAME_MAX) {
      found.company_name = t("apply.details.error.company_name_long", { max: COMPANY_NAME_MAX });
    }
    if (website.trim() && !looksLikeWebsite(website)) found.website = t("apply.details.error.website");
    if (contactNumber.trim() && !CONTACT_NUMBER.test(contactNumber.trim())) {
      found.contact_number = t("apply.details.error.contact_number");
    }
    if (contactEmail.trim() && !looksLikeEmail(contactEmail)) found.contact_email = t("apply.details.error.contact_email");
    return found;
  }

  async function save(step: DraftStep, checkFirst: boolean) {
    if (checkFirst && form.check(validate())) return;
    setBusy(true);
    const result = await saveDraft({
      company_name: orNull(companyName),
      website: orNull(website),
      contact_number: orNull(contactNumber),
      contact_email: orNull(contactEmail),
      step,
    });
    setBusy(false);
    if (!result.ok) return form.fail(result.problem);
    navigate(draftStepPath(step));
  }

  async function uploadLogo(file: File) {
    setLogoBusy(true);
    const result = await call(workspaces.PUT("/v1/workspace-applications/draft/logo", rawImageBody(file)));
    setLogoBusy(false);
    if (!result.ok) {
      setLogoProblem(result.problem);
      return;
    }
    setLogoProblem(null);
    setLogoFile(file);
    setApplication(result.data);
  }

  async function removeLogo() {
    setLogoBusy(true);
    const result = await call(workspaces.DELETE("/v1/workspace-applications/draft/logo"));
    setLogoBusy(false);
    if (!result.ok) return setLogoProblem(result.problem);
    setLogoProblem(null);
    setLogoFile(null);
    setApplication(result.data);
  }

  const defaultLogo = <ApplicationDefaultLogo application={application} name={companyName} />;
  const fallback = application.logo_url ? (
    <BlobImage
      load={loadApplicationLogo}
      cacheKey={`${application.id}:${application.updated_at}`}
      alt={t("apply.details.logo_alt")}
      size={96}
      fallback={defaultLogo}
    />
  ) : (
    <figure className="default-logo">
      {defaultLogo}
      <figcaption>{t("apply.details.default_logo_caption")}</figcaption>
    </figure>
  );
  const logoFieldError = logoProblem?.errors?.[0];
  const logoError = logoProblem ? (logoFieldError ? fieldMessage(logoFieldError, t) : logoProblem.detail) : undefined;

  const bind = (field: Field, setter: (v: string) => void) => (value: string) => {
    setter(value);
    form.edit(field);
  };

  return (
    <section aria-labelledby="details-title">
      <h1 id="details-title">{t("apply.details.title")}</h1>
      <p className="lead">{t("apply.details.lead")}</p>
      <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
      <form noValidate onSubmit={(e: FormEvent) => (e.preventDefault(), void save("review", true))}>
        <TextField
          id={form.idOf("company_name")}
          label={t("apply.details.company_name")}
          required
          autoComplete="organization"
          value={companyName}
          onChange={bind("company_name", setCompanyName)}
          hint={t("apply.details.company_name_hint")}
          error={form.errors.company_name}
        />
        <LogoUpload
          id={form.idOf("logo")}
          label={t("apply.details.logo")}
          file={logoFile}
          fallback={fallback}
          onAccept={uploadLogo}
          onRemove={application.logo_url ? removeLogo : undefined}
          error={logoError ?? form.errors.logo}
          busy={logoBusy}
        />
        <TextField
          id={form.idOf("website")}
          label={t("apply.details.website")}
          type="url"
          autoComplete="url"
          placeholder="https://"
          value={website}
          onChange={bind("website", setWebsite)}
          hint={t("common.optional")}
          error={form.errors.website}
        />
        <TextField
          id={form.idOf("contact_number")}
          label={t("apply.details.contact_number")}
          type="tel"
          autoComplete="tel"
          value={contactNumber}
          onChange={bind("contact_number", setContactNumber)}
          hint={t("apply.details.contact_number_hint")}
          error={form.errors.contact_number}
        />
        <TextField
          id={form.idOf("contact_email")}
          label={t("apply.details.contact_email")}
          type="email"
          autoComplete="email"
          value={contactEmail}
          onChange={bind("contact_email", setContactEmail)}
          hint={t("common.optional")}
          error={form.errors.contact_email}
        />
        <div className="form-actions">
          <button type="button" className="button" onClick={() => void save("role", false)} disabled={busy}>
            {t("apply.previous_step")}
          </button>
          <button type="submit" className="button button--primary" disabled={busy || logoBusy}>
            {t("apply.next_step")}
          </button>
        </div>
      </form>
    </section>
  );
}

import { useState, type FormEvent } from "react";
import { call, miniprograms } from "../../../../api/client";
import { problemSlug } from "../../../../api/problem";
import type { MiniProgram, MiniProgramForm as FormBody, MiniProgramWithQuota } from "../../../../api/types";
import { Counter } from "../../../../components/Counter";
import { StaticField, TextAreaField, TextField } from "../../../../components/Field";
import { IndustryPicker } from "../../../../components/IndustryPicker";
import { LogoUpload } from "../../../../components/LogoUpload";
import { ProblemAlert } from "../../../../components/ProblemAlert";
import { useFormErrors } from "../../../../components/useFormErrors";
import { useI18n, type Translate } from "../../../../i18n";
import { checkWeightedText, isServicePhone, looksLikeEmail, TEXT_LIMITS, type TextField as TextFieldName, type TextProblem } from "../../../../rules/fields";
import { MAX_LOGO_BYTES } from "../../../../rules/logo";
import { pythonStrip } from "../../../../rules/weightedLength";
import { TARGET_ALIPAY_CN } from "../logo";
import { toFormData } from "./toFormData";

const FIELDS = ["name", "tagline", "description", "industry", "service_phone", "service_email", "logo"] as const;
type Field = (typeof FIELDS)[number];

export function textProblemMessage(problem: TextProblem, t: Translate): string {
  switch (problem.kind) {
    case "required":
      return t("mp.error.required");
    case "control":
      return t("mp.error.control");
    case "short":
      return t("mp.error.short", { min: problem.min, length: problem.length });
    case "long":
      return t("mp.error.long", { max: problem.max, length: problem.length });
  }
}

function Rules() {
  const { t } = useI18n();
  return (
    <aside className="rules" aria-labelledby="rules-title">
      <h2 id="rules-title">{t("mp.rules.title")}</h2>
      <ul>
        <li>{t("mp.rules.name", TEXT_LIMITS.name)}</li>
        <li>{t("mp.rules.tagline", TEXT_LIMITS.tagline)}</li>
        <li>{t("mp.rules.description", TEXT_LIMITS.description)}</li>
        <li>{t("mp.rules.weight")}</li>
        <li>{t("mp.rules.logo", { max: MAX_LOGO_BYTES / 1024 })}</li>
        <li>{t("mp.rules.industry")}</li>
        <li>{t("mp.rules.phone")}</li>
        <li>{t("mp.rules.email")}</li>
        <li>{t("mp.rules.language")}</li>
        <li>{t("mp.rules.unique")}</li>
        <li>{t("mp.rules.limit")}</li>
      </ul>
    </aside>
  );
}

interface Props {
  workspaceId: string;
  /** The mini program to modify; absent to create. */
  existing?: MiniProgram;
  /** Its current logo, sent again unless another is chosen (modify needs every field). */
  existingLogo?: Blob | null;
  onSaved: (saved: MiniProgramWithQuota) => void;
  onCancel: () => void;
}

/** Create or modify a mini program for Alipay China: every field required (again, on modify),
 * live weighted counters, the rules beside the form, the server's verdict beside each field. */
export function MiniProgramForm({ workspaceId, existing, existingLogo = null, onSaved, onCancel }: Props) {
  const { t } = useI18n();
  const form = useFormErrors<Field>("mp", FIELDS);
  const [values, setValues] = useState({
    name: existing?.name ?? "",
    tagline: existing?.tagline ?? "",
    description: existing?.description ?? "",
    industry: existing?.industry ?? "",
    service_phone: existing?.service_phone ?? "",
    service_email: existing?.service_email ?? "",
  });
  const [logo, setLogo] = useState<Blob | null>(existingLogo);
  const [busy, setBusy] = useState(false);

  const set = (field: keyof typeof values) => (value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    form.edit(field);
  };

  function validate(): Partial<Record<Field, string>> {
    const found: Partial<Record<Field, string>> = {};
    for (const field of Object.keys(TEXT_LIMITS) as TextFieldName[]) {
      const problem = checkWeightedText(values[field], TEXT_LIMITS[field]);
      if (problem) found[field] = textProblemMessage(problem, t);
    }
    if (!values.industry) found.industry = t("mp.error.industry");
    if (!isServicePhone(values.service_phone)) found.service_phone = t("mp.error.phone");
    if (!looksLikeEmail(values.service_email)) found.service_email = t("mp.error.email");
    if (!logo) found.logo = t("mp.error.logo");
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (form.check(validate()) || !logo) return;
    // The texts trimmed as the server trims them (Python's strip), so what the counters showed is
    // what the server counts.
    const body: FormBody = {
      workspace_id: workspaceId,
      target: TARGET_ALIPAY_CN,
      name: pythonStrip(values.name),
      tagline: pythonStrip(values.tagline),
      description: pythonStrip(values.description),
      industry: values.industry,
      service_phone: values.service_phone.trim(),
      service_email: values.service_email.trim(),
      logo,
    };
    setBusy(true);
    const result = existing
      ? await call(miniprograms.PUT("/v1/mini-programs/{id}", { params: { path: { id: existing.id } }, body, bodySerializer: toFormData }))
      : await call(miniprograms.POST("/v1/mini-programs", { body, bodySerializer: toFormData }));
    setBusy(false);
    if (!result.ok) return form.fail(result.problem);
    onSaved(result.data);
  }

  const limitReached = form.problem !== null && problemSlug(form.problem) === "mini-program-limit-reached";

  return (
    <div className="form-with-rules">
      <form noValidate onSubmit={submit} className="form-with-rules__form" aria-describedby="rules-title">
        <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
        {limitReached ? <p className="form-note">{t("mp.limit_help")}</p> : null}
        <StaticField id="mp-target" label={t("mp.target")} value={t("mp.target.alipay_cn")} />
        <TextField
          id={form.idOf("name")}
          label={t("mp.name")}
          required
          value={values.name}
          onChange={set("name")}
          extra={<Counter value={values.name} limits={TEXT_LIMITS.name} />}
          hint={t("mp.name_hint", TEXT_LIMITS.name)}
          error={form.errors.name}
        />
        <TextField
          id={form.idOf("tagline")}
          label={t("mp.tagline")}
          required
          value={values.tagline}
          onChange={set("tagline")}
          extra={<Counter value={values.tagline} limits={TEXT_LIMITS.tagline} />}
          hint={t("mp.tagline_hint", TEXT_LIMITS.tagline)}
          error={form.errors.tagline}
        />
        <TextAreaField
          id={form.idOf("description")}
          label={t("mp.description")}
          required
          rows={5}
          value={values.description}
          onChange={set("description")}
          extra={<Counter value={values.description} limits={TEXT_LIMITS.description} />}
          hint={t("mp.description_hint", TEXT_LIMITS.description)}
          error={form.errors.description}
        />
        <LogoUpload
          id={form.idOf("logo")}
          label={t("mp.logo")}
          required
          file={logo}
          fallback={<span className="logo-image logo-image--placeholder logo-image--empty">{t("mp.logo_none")}</span>}
          onAccept={(file) => {
            setLogo(file);
            form.edit("logo");
          }}
          error={form.errors.logo}
        />
        <IndustryPicker
          id={form.idOf("industry")}
          label={t("mp.industry")}
          required
          value={values.industry}
          onChange={set("industry")}
          error={form.errors.industry}
        />
        <TextField
          id={form.idOf("service_phone")}
          label={t("mp.service_phone")}
          type="tel"
          inputMode="tel"
          required
          placeholder="0571-8888888"
          value={values.service_phone}
          onChange={set("service_phone")}
          hint={t("mp.service_phone_hint")}
          error={form.errors.service_phone}
        />
        <TextField
          id={form.idOf("service_email")}
          label={t("mp.service_email")}
          type="email"
          required
          value={values.service_email}
          onChange={set("service_email")}
          error={form.errors.service_email}
        />
        <StaticField id="mp-language" label={t("mp.language")} value={t("mp.language.zh")} hint={t("mp.language_hint")} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t("common.saving") : existing ? t("mp.save_changes") : t("mp.create")}
          </button>
        </div>
      </form>
      <Rules />
    </div>
  );
}

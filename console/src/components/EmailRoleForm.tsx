import { useState, type FormEvent } from "react";
import type { Result } from "../api/client";
import { SelectField, TextField } from "./Field";
import { ProblemAlert } from "./ProblemAlert";
import { useFormErrors } from "./useFormErrors";
import { useI18n, type MessageKey } from "../i18n";
import { looksLikeEmail } from "../rules/fields";

/** The roles an owner may give: the applicant is the one owner. */
export type AssignableRole = "master" | "developer";
const FIELDS = ["email", "role"] as const;
type Field = (typeof FIELDS)[number];

interface EmailRoleFormProps<T> {
  /** Prefix of the fields' ids (`<formId>-email`, `<formId>-role`). */
  formId: string;
  labels: { email: MessageKey; role: MessageKey; submit: MessageKey; invalidEmail: MessageKey };
  /** The request the form makes with the trimmed email and the role. */
  send: (body: { email: string; role: AssignableRole }) => Promise<Result<T>>;
  /** Called as the user submits, before any check. */
  onSubmit?: () => void;
  /** The server took it: the form is emptied and its errors cleared. */
  onDone: (data: T) => void;
}

/** An email and a role (developer or master) with the client's email check and the server's
 * problem beside the fields: adding a member and inviting one. */
export function EmailRoleForm<T>({ formId, labels, send, onSubmit, onDone }: EmailRoleFormProps<T>) {
  const { t } = useI18n();
  const form = useFormErrors<Field>(formId, FIELDS);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<AssignableRole>("developer");
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit?.();
    if (form.check(looksLikeEmail(email) ? {} : { email: t(labels.invalidEmail) })) return;
    setBusy(true);
    const result = await send({ email: email.trim(), role });
    setBusy(false);
    if (!result.ok) return form.fail(result.problem);
    form.reset();
    setEmail("");
    onDone(result.data);
  }

  return (
    <>
      <ProblemAlert ref={form.alertRef} problem={form.problem} unplaced={form.unplaced} />
      <form noValidate onSubmit={submit} className="inline-form">
        <TextField
          id={form.idOf("email")}
          label={t(labels.email)}
          type="email"
          required
          value={email}
          onChange={(v) => {
            setEmail(v);
            form.edit("email");
          }}
          error={form.errors.email}
        />
        <SelectField<AssignableRole>
          id={form.idOf("role")}
          label={t(labels.role)}
          value={role}
          onChange={setRole}
          options={[
            { value: "developer", label: t("role.developer") },
            { value: "master", label: t("role.master") },
          ]}
          error={form.errors.role}
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {t(labels.submit)}
        </button>
      </form>
    </>
  );
}

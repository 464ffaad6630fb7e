// Form fields with their label, hint and error tied together for assistive technology:
// aria-describedby names the hint, counter and error; aria-invalid marks a field in error; the
// error region is live, so a message appearing beside a field is announced.
import type { ReactNode, Ref } from "react";

interface ShellProps {
  id: string;
  label: ReactNode;
  required?: boolean;
  hint?: ReactNode;
  error?: string | undefined;
  extra?: ReactNode; // e.g. a counter, rendered with id `${id}-extra`
  children: (aria: AriaProps) => ReactNode;
  className?: string;
}

export interface AriaProps {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string | undefined;
  "aria-required": boolean | undefined;
}

export function describedBy(id: string, parts: { hint?: boolean; extra?: boolean; error?: boolean }) {
  const ids = [
    parts.hint ? `${id}-hint` : null,
    parts.extra ? `${id}-extra` : null,
    parts.error ? `${id}-error` : null,
  ].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function FieldShell({ id, label, required, hint, error, extra, children, className }: ShellProps) {
  const aria: AriaProps = {
    id,
    "aria-invalid": Boolean(error),
    "aria-describedby": describedBy(id, { hint: Boolean(hint), extra: Boolean(extra), error: Boolean(error) }),
    "aria-required": required || undefined,
  };
  return (
    <div className={`field${error ? " field--invalid" : ""}${className ? ` ${className}` : ""}`}>
      <div className="field__top">
        <label htmlFor={id} className="field__label">
          {label}
          {required ? <span className="field__required" aria-hidden="true"> *</span> : null}
        </label>
        {extra ? <span id={`${id}-extra`}>{extra}</span> : null}
      </div>
      {children(aria)}
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      <p id={`${id}-error`} className="field__error" aria-live="polite">
        {error ?? ""}
      </p>
    </div>
  );
}

interface InputProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  type?: "text" | "email" | "password" | "url" | "tel" | "search";
  required?: boolean;
  hint?: ReactNode;
  error?: string | undefined;
  extra?: ReactNode;
  autoComplete?: string;
  placeholder?: string;
  inputMode?: "text" | "email" | "tel" | "url" | "numeric";
  inputRef?: Ref<HTMLInputElement>;
  maxLength?: number;
  readOnly?: boolean;
}

export function TextField(props: InputProps) {
  const { value, onChange, onBlur, type = "text", autoComplete, placeholder, inputMode, inputRef, maxLength, readOnly } = props;
  return (
    <FieldShell {...props}>
      {(aria) => (
        <input
          {...aria}
          ref={inputRef}
          className="input"
          type={type}
          name={props.id}
          value={value}
          required={props.required}
          autoComplete={autoComplete}
          placeholder={placeholder}
          inputMode={inputMode}
          maxLength={maxLength}
          readOnly={readOnly}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
        />
      )}
    </FieldShell>
  );
}

interface TextAreaProps extends Omit<InputProps, "type" | "inputMode" | "inputRef"> {
  rows?: number;
  textAreaRef?: Ref<HTMLTextAreaElement>;
}

export function TextAreaField(props: TextAreaProps) {
  const { value, onChange, onBlur, rows = 5, placeholder, textAreaRef, maxLength } = props;
  return (
    <FieldShell {...props}>
      {(aria) => (
        <textarea
          {...aria}
          ref={textAreaRef}
          className="input input--area"
          name={props.id}
          rows={rows}
          maxLength={maxLength}
          value={value}
          required={props.required}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
        />
      )}
    </FieldShell>
  );
}

interface SelectProps<V extends string> {
  id: string;
  label: ReactNode;
  value: V;
  options: ReadonlyArray<{ value: V; label: string }>;
  onChange: (value: V) => void;
  required?: boolean;
  hint?: ReactNode;
  error?: string | undefined;
  disabled?: boolean;
}

export function SelectField<V extends string>(props: SelectProps<V>) {
  return (
    <FieldShell {...props}>
      {(aria) => (
        <select
          {...aria}
          className="input"
          name={props.id}
          value={props.value}
          disabled={props.disabled}
          onChange={(e) => props.onChange(e.target.value as V)}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

interface CheckboxProps {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | undefined;
  required?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

export function CheckboxField({ id, label, checked, onChange, error, required, inputRef }: CheckboxProps) {
  return (
    <div className={`field field--checkbox${error ? " field--invalid" : ""}`}>
      <div className="checkbox">
        <input
          ref={inputRef}
          id={id}
          name={id}
          type="checkbox"
          checked={checked}
          required={required}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => onChange(e.target.checked)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      <p id={`${id}-error`} className="field__error" aria-live="polite">
        {error ?? ""}
      </p>
    </div>
  );
}

/** Read-only value shown like a field (e.g. the fixed language). */
export function StaticField({ id, label, value, hint }: { id: string; label: ReactNode; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="field">
      <div className="field__top">
        <span className="field__label" id={`${id}-label`}>
          {label}
        </span>
      </div>
      <p className="static-value" id={id} aria-labelledby={`${id}-label`} aria-describedby={hint ? `${id}-hint` : undefined}>
        {value}
      </p>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

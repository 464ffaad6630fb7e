import { useCallback, useEffect, useRef, useState } from "react";
import { fieldErrors, unplacedErrors } from "../api/problem";
import type { FieldProblem, Problem } from "../api/types";
import { useI18n } from "../i18n";
import { fieldMessage } from "../i18n/fieldErrors";

/**
 * A form's errors: the client's own checks and the server's problem, merged per field. A field's
 * error goes when the user edits it; after a failed submit focus moves to the first field in
 * error (or to the alert when no field is to blame), so the message is where the user is.
 */
export function useFormErrors<F extends string>(formId: string, fields: readonly F[]) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const [edited, setEdited] = useState<ReadonlySet<F>>(new Set());
  const alertRef = useRef<HTMLDivElement>(null);
  // Where focus goes once the messages are on screen (an effect runs after React committed them).
  const [focusTarget, setFocusTarget] = useState<{ id: string | null; attempt: number } | null>(null);

  useEffect(() => {
    if (!focusTarget) return;
    const target = focusTarget.id ? document.getElementById(focusTarget.id) : alertRef.current;
    target?.focus();
  }, [focusTarget]);

  const idOf = useCallback((field: F) => `${formId}-${field}`, [formId]);
  const { t } = useI18n();
  const describe = (error: FieldProblem) => fieldMessage(error, t);

  const server = fieldErrors(problem, fields, describe) as Partial<Record<F, string>>;
  const errors: Partial<Record<F, string>> = {};
  for (const field of fields) {
    const message = client[field] ?? (edited.has(field) ? undefined : server[field]);
    if (message) errors[field] = message;
  }

  const focusFirst = (found: Partial<Record<F, string>>, hasProblem: boolean) => {
    const first = fields.find((f) => found[f]);
    if (!first && !hasProblem) return;
    setFocusTarget((current) => ({ id: first ? idOf(first) : null, attempt: (current?.attempt ?? 0) + 1 }));
  };

  const edit = (field: F) => {
    setClient((current) => {
      if (!(field in current)) return current;
      const next = { ...current };
      delete next[field];
      return next;
    });
    setEdited((current) => (current.has(field) ? current : new Set(current).add(field)));
  };

  return {
    problem,
    errors,
    unplaced: unplacedErrors(problem, fields),
    alertRef,
    idOf,
    /** The server refused: show its problem. */
    fail(next: Problem) {
      setProblem(next);
      setClient({});
      setEdited(new Set());
      focusFirst(fieldErrors(next, fields, describe) as Partial<Record<F, string>>, true);
    },
    /** The client's checks failed: returns true when there is something to show. */
    check(found: Partial<Record<F, string>>): boolean {
      const any = fields.some((f) => found[f]);
      setClient(found);
      if (any) {
        setProblem(null);
        focusFirst(found, false);
      }
      return any;
    },
    /** A text field's id, value, error and change handler (an edit clears its error). */
    bind(field: F, value: string, setValue: (value: string) => void) {
      return {
        id: idOf(field),
        value,
        error: errors[field],
        onChange: (next: string) => {
          setValue(next);
          edit(field);
        },
      };
    },
    edit,
    reset() {
      setProblem(null);
      setClient({});
      setEdited(new Set());
    },
  };
}

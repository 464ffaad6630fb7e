import type { Limits } from "../rules/fields";
import { countedLength } from "../rules/weightedLength";
import { useI18n } from "../i18n";

/** The live weighted count of a text against its limits (a Chinese character counts two, as
 * on the server). Referenced by the field's aria-describedby, so it is read with the field. */
export function Counter({ value, limits }: { value: string; limits: Limits }) {
  const { t } = useI18n();
  const length = countedLength(value);
  const state = length === 0 ? "empty" : length < limits.min ? "under" : length > limits.max ? "over" : "ok";
  return (
    <span className={`counter counter--${state}`}>
      <span aria-hidden="true">
        {length}/{limits.max}
      </span>
      <span className="visually-hidden">
        {t("counter.spoken", { length, min: limits.min, max: limits.max })}
      </span>
    </span>
  );
}

import { useEffect, useId, useRef, useState } from "react";
import { call, miniprograms } from "../api/client";
import type { Industry } from "../api/types";
import { useI18n } from "../i18n";
import { FieldShell } from "./Field";
import { industryName, useIndustryCatalogue } from "./useIndustries";

/** How long typing pauses before the catalogue is searched. */
const SEARCH_DEBOUNCE_MS = 200;

interface Props {
  id: string;
  label: string;
  value: string;
  onChange: (code: string) => void;
  error?: string | undefined;
  required?: boolean;
}

/** A search box over the industry catalogue (GET /v1/industries?q=, both languages), as an
 * ARIA 1.2 combobox: arrows move, Enter picks, Escape closes. */
export function IndustryPicker({ id, label, value, onChange, error, required }: Props) {
  const { t, language } = useI18n();
  const catalogue = useIndustryCatalogue();
  const listId = useId();
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [results, setResults] = useState<Industry[]>([]);
  const [active, setActive] = useState(-1);
  const [searching, setSearching] = useState(false);
  const typed = useRef(false);

  const chosen = catalogue.get(value);
  const chosenName = industryName(chosen, language);

  // Show the chosen industry's name in the box until the user types.
  useEffect(() => {
    if (!typed.current) setQuery(chosenName ?? "");
  }, [chosenName]);

  useEffect(() => {
    if (!open) return;
    let alive = true;
    setSearching(true);
    const timer = setTimeout(async () => {
      const q = query.trim();
      const result = await call(miniprograms.GET("/v1/industries", { params: { query: q ? { q } : {} } }));
      if (!alive) return;
      setSearching(false);
      setResults(result.ok ? result.data.items : []);
      setActive(-1);
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [query, open]);

  function pick(industry: Industry) {
    onChange(industry.code);
    typed.current = false;
    setQuery(industryName(industry, language) ?? industry.code);
    setOpen(false);
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) setOpen(true);
      else setActive((i) => Math.min(results.length - 1, i + 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (event.key === "Enter" && open) {
      const industry = results[active];
      if (industry) {
        event.preventDefault();
        pick(industry);
      }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
    }
  }

  const optionId = (index: number) => `${listId}-option-${index}`;
  return (
    <FieldShell
      id={id}
      label={label}
      required={required}
      error={error}
      hint={chosen ? t("industry.chosen", { name: chosenName ?? "", code: chosen.code }) : t("industry.hint")}
    >
      {(aria) => (
        <div className="combobox">
          <input
            {...aria}
            className="input"
            type="search"
            role="combobox"
            autoComplete="off"
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls={listId}
            aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
            placeholder={t("industry.placeholder")}
            value={query}
            onChange={(e) => {
              typed.current = true;
              setQuery(e.target.value);
              setOpen(true);
            }}
            onFocus={() => setOpen(true)}
            onBlur={() => setOpen(false)}
            onKeyDown={onKeyDown}
          />
          <ul id={listId} role="listbox" className="combobox__list" hidden={!open} aria-label={label}>
            {searching && !results.length ? <li className="combobox__empty">{t("common.loading")}</li> : null}
            {!searching && !results.length ? <li className="combobox__empty">{t("industry.none")}</li> : null}
            {results.map((industry, index) => (
              <li
                key={industry.code}
                id={optionId(index)}
                role="option"
                aria-selected={industry.code === value}
                className={`combobox__option${index === active ? " is-active" : ""}${industry.code === value ? " is-selected" : ""}`}
                onMouseDown={(e) => {
                  e.preventDefault(); // keep focus in the box
                  pick(industry);
                }}
              >
                <span>{industryName(industry, language)}</span>
                <span className="muted" lang={language === "zh-CN" ? "en" : "zh-CN"}>
                  {language === "zh-CN" ? industry.name_en : industry.name_zh}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </FieldShell>
  );
}

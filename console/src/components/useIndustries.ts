import { useEffect, useState } from "react";
import { call, miniprograms } from "../api/client";
import type { Industry } from "../api/types";
import type { Language } from "../i18n";

let catalogue: Promise<Industry[]> | null = null;

/** The whole industry catalogue, fetched once (it is reference data), to name a code. */
export function useIndustryCatalogue(): Map<string, Industry> {
  const [byCode, setByCode] = useState<Map<string, Industry>>(new Map());
  useEffect(() => {
    catalogue ??= call(miniprograms.GET("/v1/industries")).then((r) => {
      if (!r.ok) {
        catalogue = null; // try again next time
        return [];
      }
      return r.data.items;
    });
    let alive = true;
    void catalogue.then((items) => alive && setByCode(new Map(items.map((i) => [i.code, i]))));
    return () => {
      alive = false;
    };
  }, []);
  return byCode;
}

export function industryName(industry: Industry | undefined, language: Language): string | undefined {
  if (!industry) return undefined;
  return language === "zh-CN" ? industry.name_zh : industry.name_en;
}

// Pieces the application steps share.
import { storedLogoColor } from "../../api/escape";
import { workspaces } from "../../api/client";
import type { Application } from "../../api/types";
import { BlobImage } from "../../components/BlobImage";
import { DefaultLogo } from "../../components/DefaultLogo";
import { useI18n } from "../../i18n";
import { defaultLogoColor } from "../../rules/defaultLogo";

export async function loadApplicationLogo(): Promise<Blob | null> {
  const { data, response } = await workspaces.GET("/v1/workspace-applications/current/logo", { parseAs: "blob" });
  return response.ok && data ? data : null;
}

export function ApplicationDefaultLogo({ application, name, size = 96 }: { application: Application; name: string; size?: number }) {
  const { t } = useI18n();
  return (
    <DefaultLogo
      name={name}
      color={defaultLogoColor(storedLogoColor(application), application.id)}
      size={size}
      label={t("apply.details.default_logo_alt", { initial: Array.from(name.trim())[0] ?? "?" })}
    />
  );
}

/** The uploaded logo, or the default one (initial on the colour) when there is none. */
export function ApplicationLogo({ application, size = 96 }: { application: Application; size?: number }) {
  const { t } = useI18n();
  const fallback = <ApplicationDefaultLogo application={application} name={application.company_name ?? ""} size={size} />;
  if (!application.logo_url) return fallback;
  return (
    <BlobImage
      load={loadApplicationLogo}
      cacheKey={`${application.id}:${application.updated_at}`}
      alt={t("apply.details.logo_alt")}
      size={size}
      fallback={fallback}
    />
  );
}

// The ONE place where the console calls the API in a way its OpenAPI documents do not (yet)
// describe. Each hatch names the contract it is waiting for; once the service declares it, the
// cast here becomes unnecessary (and harmless) and can be removed.
/**
 * `PUT /v1/workspace-applications/draft/logo` reads the raw image as its body, but its
 * operation declares no requestBody (it should declare `image/png` and `image/jpeg` with
 * `format: binary`), so openapi-fetch types its body as `never`.
 */
export function rawImageBody(image: Blob): {
  body: never;
  bodySerializer: (body: unknown) => Blob;
  headers: Record<string, string>;
} {
  return {
    body: image as never,
    bodySerializer: () => image,
    headers: { "Content-Type": image.type || "application/octet-stream" },
  };
}

/**
 * The default logo's colour of an application. The workspaces service picks it only at
 * provisioning, so ApplicationRead has no `logo_color` yet and the preview falls back to a
 * stable pick from the same palette; this reads the field once the service sends it.
 */
export function storedLogoColor(application: object): string | null {
  const value = (application as { logo_color?: unknown }).logo_color;
  return typeof value === "string" ? value : null;
}

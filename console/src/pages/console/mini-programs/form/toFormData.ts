import type { MiniProgramForm } from "../../../../api/types";

const EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg" };

/** The multipart body of create and modify: every field, and the logo as a file part. */
export function toFormData(body: MiniProgramForm): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(body)) {
    if (value instanceof Blob) {
      const filename = value instanceof File && value.name ? value.name : `logo.${EXTENSIONS[value.type] ?? "bin"}`;
      data.append(name, value, filename);
    } else {
      data.append(name, String(value));
    }
  }
  return data;
}

// Logo checks before upload, as shared/shared/images.py `validate_logo` runs them: JPEG or PNG
// by content (not by extension or the browser's guess), at most 262,144 bytes, width equal to
// height. The server decodes the image and stays the authority: its answer is shown when it
// refuses what passed here.

export const MAX_LOGO_BYTES = 262_144;

export type LogoType = "image/png" | "image/jpeg";

export type LogoProblem =
  | { kind: "empty" }
  | { kind: "too_large"; size: number; max: number }
  | { kind: "type" }
  | { kind: "unreadable" }
  | { kind: "not_square"; width: number; height: number };

export interface LogoInfo {
  type: LogoType;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

/** The image type the bytes are, by their signature (magic bytes), or null. */
export function sniffLogoType(bytes: Uint8Array): LogoType | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return "image/png";
  if (startsWith(bytes, JPEG_SIGNATURE)) return "image/jpeg";
  return null;
}

function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  // Signature (8), IHDR length (4), "IHDR" (4), width (4, big-endian), height (4).
  if (bytes.length < 24) return null;
  const isIhdr = bytes[12] === 0x49 && bytes[13] === 0x48 && bytes[14] === 0x44 && bytes[15] === 0x52;
  if (!isIhdr) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  // Walk the segments to the first start-of-frame marker (SOF0..SOF15 but DHT, JPG, DAC).
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    const length = view.getUint16(offset + 2);
    if (length < 2) return null;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) {
      if (offset + 9 > bytes.length) return null;
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}

/** The checks that need only the bytes: size, type by content, and the size in the header. */
export function checkLogoBytes(bytes: Uint8Array): { problems: LogoProblem[]; info: LogoInfo | null } {
  if (bytes.length === 0) return { problems: [{ kind: "empty" }], info: null };
  const problems: LogoProblem[] = [];
  if (bytes.length > MAX_LOGO_BYTES) {
    problems.push({ kind: "too_large", size: bytes.length, max: MAX_LOGO_BYTES });
  }
  const type = sniffLogoType(bytes);
  if (type === null) return { problems: [...problems, { kind: "type" }], info: null };
  const size = type === "image/png" ? pngSize(bytes) : jpegSize(bytes);
  if (size === null) return { problems: [...problems, { kind: "unreadable" }], info: null };
  if (size.width !== size.height) problems.push({ kind: "not_square", ...size });
  return { problems, info: { type, ...size } };
}

/** The decoded size, the way the browser draws it: the header alone can lie. */
export type Decoder = (blob: Blob) => Promise<{ width: number; height: number }>;

export const browserDecoder: Decoder = async (blob) => {
  const bitmap = await createImageBitmap(blob);
  try {
    return { width: bitmap.width, height: bitmap.height };
  } finally {
    bitmap.close();
  }
};

/** Every client-side check of a chosen file. `decode` is injectable for tests. */
export async function checkLogoFile(
  file: Blob,
  decode: Decoder = browserDecoder,
): Promise<{ problems: LogoProblem[]; info: LogoInfo | null }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const checked = checkLogoBytes(bytes);
  if (checked.info === null || checked.problems.some((p) => p.kind === "not_square")) return checked;
  let decoded: { width: number; height: number };
  try {
    decoded = await decode(file);
  } catch {
    return { problems: [...checked.problems, { kind: "unreadable" }], info: null };
  }
  const info = { ...checked.info, ...decoded };
  const problems = [...checked.problems];
  if (decoded.width !== decoded.height) problems.push({ kind: "not_square", ...decoded });
  return { problems, info };
}

import { describe, expect, it } from "vitest";
import { checkLogoBytes, checkLogoFile, MAX_LOGO_BYTES, sniffLogoType } from "./logo";

function png(width: number, height: number, padTo = 0): Uint8Array {
  const bytes = new Uint8Array(Math.max(33, padTo));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes.set([8, 6, 0, 0, 0], 24);
  return bytes;
}

function jpeg(width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof0, 0xff, 0xd9]);
}

const GIF = new TextEncoder().encode("GIF89a\x01\x00\x01\x00");

describe("the logo's type is decided by its bytes", () => {
  it("recognises PNG and JPEG signatures", () => {
    expect(sniffLogoType(png(1, 1))).toBe("image/png");
    expect(sniffLogoType(jpeg(1, 1))).toBe("image/jpeg");
  });

  it("refuses a GIF, whatever the file is called", () => {
    expect(checkLogoBytes(GIF).problems).toEqual([{ kind: "type" }]);
  });

  it("refuses an empty file", () => {
    expect(checkLogoBytes(new Uint8Array()).problems).toEqual([{ kind: "empty" }]);
  });
});

describe("size and shape", () => {
  it("accepts a square PNG of exactly 256 KB", () => {
    const checked = checkLogoBytes(png(512, 512, MAX_LOGO_BYTES));
    expect(checked.problems).toEqual([]);
    expect(checked.info).toEqual({ type: "image/png", width: 512, height: 512 });
  });

  it("refuses one byte more than 262,144", () => {
    expect(checkLogoBytes(png(512, 512, MAX_LOGO_BYTES + 1)).problems).toEqual([
      { kind: "too_large", size: MAX_LOGO_BYTES + 1, max: MAX_LOGO_BYTES },
    ]);
  });

  it("reads a JPEG's size from its frame header and refuses it when not square", () => {
    expect(checkLogoBytes(jpeg(300, 200)).problems).toEqual([{ kind: "not_square", width: 300, height: 200 }]);
    expect(checkLogoBytes(jpeg(256, 256)).info).toEqual({ type: "image/jpeg", width: 256, height: 256 });
  });

  it("calls a truncated header unreadable", () => {
    expect(checkLogoBytes(png(1, 1).slice(0, 12)).problems).toEqual([{ kind: "unreadable" }]);
  });
});

describe("checkLogoFile also trusts only the decoded image", () => {
  const file = (bytes: Uint8Array, type = "image/png") => new Blob([bytes as BlobPart], { type });

  it("passes a square image the browser decodes as square", async () => {
    const result = await checkLogoFile(file(png(64, 64)), async () => ({ width: 64, height: 64 }));
    expect(result.problems).toEqual([]);
  });

  it("refuses an image whose header says square but decodes otherwise", async () => {
    const result = await checkLogoFile(file(png(64, 64)), async () => ({ width: 64, height: 32 }));
    expect(result.problems).toEqual([{ kind: "not_square", width: 64, height: 32 }]);
  });

  it("refuses bytes the browser cannot decode", async () => {
    const result = await checkLogoFile(file(png(64, 64)), async () => {
      throw new Error("InvalidStateError");
    });
    expect(result.problems).toEqual([{ kind: "unreadable" }]);
  });

  it("ignores the declared MIME type: a PNG named .jpg is a PNG", async () => {
    const result = await checkLogoFile(file(png(8, 8), "image/jpeg"), async () => ({ width: 8, height: 8 }));
    expect(result.info?.type).toBe("image/png");
  });
});

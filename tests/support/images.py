"""Real image bytes for logo tests."""

import io

from PIL import Image


def image_bytes(fmt: str, width: int = 64, height: int = 64) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1677FF").save(buffer, fmt)
    return buffer.getvalue()


def png_of_exact_size(size: int, side: int = 256) -> bytes:
    """A square PNG padded to exactly `size` bytes with an ancillary chunk decoders skip."""
    import struct
    import zlib

    base = image_bytes("PNG", side, side)
    body_end = base.rindex(b"IEND") - 4
    overhead = 12  # length, type and CRC of the padding chunk
    padding = size - len(base) - overhead
    assert padding >= 0, "base image already larger than requested"
    data = b"\0" * padding
    chunk = struct.pack(">I", len(data)) + b"teXt" + data
    chunk += struct.pack(">I", zlib.crc32(b"teXt" + data) & 0xFFFFFFFF)
    return base[:body_end] + chunk + base[body_end:]


def decompression_bomb() -> bytes:
    """A small PNG that decodes to 400 megapixels."""
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    return buffer.getvalue()

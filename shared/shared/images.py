"""Logo images: JPEG or PNG by content, bounded size, square, no decompression bombs; where a
service keeps them and how it answers with one."""

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass

from aiohttp import web
from PIL import Image
from pymongo.asynchronous.collection import AsyncCollection

from shared.field_errors import (
    LOGO_EMPTY,
    LOGO_NOT_SQUARE,
    LOGO_TOO_LARGE,
    LOGO_TOO_MANY_PIXELS,
    LOGO_TYPE,
    LOGO_UNREADABLE,
    FieldCode,
    FieldError,
    Param,
)
from shared.http import binary_response
from shared.mongo import Document, utc_now

# Both services' logos: "at most 256 KB" in the platform's documentation.
MAX_LOGO_BYTES = 262_144
# A 256 KB file has no business decoding to more pixels than this; bigger is a bomb.
MAX_LOGO_PIXELS = 4096 * 4096

_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_PIL_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


class LogoError(ValueError):
    """Why the bytes are not an acceptable logo: a field error's code and its params."""

    def __init__(self, code: FieldCode, **params: Param) -> None:
        super().__init__(code.message.format(**params))
        self.code = code
        self.params = params

    def field_error(self, field_name: str) -> FieldError:
        return self.code.error(field_name, **self.params)


@dataclass(frozen=True)
class Logo:
    data: bytes
    content_type: str
    width: int
    height: int

    def document(self) -> Document:
        """How a service stores it: its own document, with an id and an ETag."""
        return {
            "_id": str(uuid.uuid4()),
            "content_type": self.content_type,
            "data": self.data,
            "width": self.width,
            "height": self.height,
            "etag": hashlib.sha256(self.data).hexdigest()[:32],
            "created_at": utc_now(),
        }


def validate_logo(data: bytes) -> Logo:
    if not data:
        raise LogoError(LOGO_EMPTY)
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(LOGO_TOO_LARGE, max_bytes=MAX_LOGO_BYTES, size=len(data))
    declared = next((t for sig, t in _SIGNATURES.items() if data.startswith(sig)), None)
    if declared is None:
        raise LogoError(LOGO_TYPE)
    width, height, decoded_type = _decode(data)
    if decoded_type != declared:
        raise LogoError(LOGO_TYPE)
    if width != height:
        raise LogoError(LOGO_NOT_SQUARE, width=width, height=height)
    return Logo(data=data, content_type=declared, width=width, height=height)


def _decode(data: bytes) -> tuple[int, int, str | None]:
    """Fully decode with a pixel limit: the header alone can lie about the image."""
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that: refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_LOGO_PIXELS:
                    raise LogoError(LOGO_TOO_MANY_PIXELS)
                image.load()
                return image.width, image.height, _PIL_TYPES.get(image.format or "")
    except LogoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise LogoError(LOGO_TOO_MANY_PIXELS) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise LogoError(LOGO_UNREADABLE) from exc


class LogoStore:
    """A service's logos: one document each (the image bytes with an id and an ETag)."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._logos = collection

    async def save(self, logo: Logo) -> str:
        document = logo.document()
        await self._logos.insert_one(document)
        return str(document["_id"])

    async def find(self, logo_id: str | None) -> Document | None:
        return await self._logos.find_one({"_id": logo_id}) if logo_id else None


def logo_response(request: web.Request, logo: Document) -> web.Response:
    """A stored logo as the answer, with its ETag (304 when the client has it)."""
    return binary_response(
        request, body=logo["data"], content_type=logo["content_type"], etag=logo["etag"]
    )

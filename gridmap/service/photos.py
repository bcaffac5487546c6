"""Photos from handheld devices: decoded and checked before anything is stored.

A signature is not an image: bytes behind a JPEG or PNG signature are decoded (with Pillow, the
library the Python world uses for exactly this) and refused when they are not a whole image, or when
the image has more than MAX_PHOTO_PIXELS pixels (a decompression bomb of a few hundred kilobytes can
describe a 2-4 GB bitmap). At most two photos are decoded at a time, so a burst of reports cannot
exhaust memory.
"""

from __future__ import annotations

import io
import threading
import warnings

from PIL import Image

from gridmap.domain.errors import GridmapError

#: the largest photo accepted, in pixels: 40 megapixels covers every phone camera's full resolution
MAX_PHOTO_PIXELS = 40_000_000
#: Pillow's formats we accept: MPO is a JPEG carrying more images (Android Ultra HDR, Samsung, iPhone
#: gain maps): it is a JPEG file, and stored as one
_FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png"}
_ENDS = {"image/jpeg": b"\xff\xd9", "image/png": b"IEND\xaeB`\x82"}
_DECODING = threading.BoundedSemaphore(2)


class PhotoError(GridmapError):
    """A photo that is not a whole JPEG or PNG image of an acceptable size."""


def check_photo(data: bytes) -> str:
    """Decode ``data`` completely; return its MIME type (image/jpeg or image/png).

    Raises PhotoError when it is not a JPEG or PNG, is cut short or damaged, or has more than
    MAX_PHOTO_PIXELS pixels. The pixel count is read from the header, before any decoding.
    """
    with _DECODING, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG"])  # a JPEG with more images opens as MPO
            if image.format not in _FORMATS:
                raise PhotoError(f"a {image.format} image is not a JPEG or PNG")
        except PhotoError:
            raise
        except (Image.UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
                OSError, ValueError, KeyError) as exc:
            raise PhotoError(f"not a JPEG or PNG image ({exc})") from exc
        width, height = image.size
        if width < 1 or height < 1 or width * height > MAX_PHOTO_PIXELS:
            raise PhotoError(f"the photo is {width}×{height} pixels; at most {MAX_PHOTO_PIXELS // 1_000_000} "
                             "megapixels are accepted")
        try:
            if image.format in ("JPEG", "MPO"):
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # all the data, 1/64 of the memory
            image.load()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError,
                Image.DecompressionBombWarning) as exc:
            raise PhotoError(f"the {image.format} image is damaged or cut short ({exc})") from exc
        mime = _FORMATS[image.format]
        # nothing may follow the image's own end (a JPEG's EOI, a PNG's IEND chunk): bytes smuggled
        # behind a real photo would otherwise be stored and passed on
        if not data.rstrip(b"\x00").endswith(_ENDS[mime]):
            raise PhotoError(f"the {image.format} image is followed by other data")
        return mime

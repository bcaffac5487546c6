"""Photos decoded with a bound: no stored image can make the desktop allocate gigabytes.

A photo's size is read from its header first (QImageReader.size() decodes nothing); one with more
than MAX_PHOTO_PIXELS pixels is not decoded at all, and the others are decoded straight to the size
they are shown at (JPEG decodes at reduced scale), never to a full-size bitmap first.
"""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice, QSize
from qgis.PyQt.QtGui import QImageReader, QPixmap

#: the same bound as the intake service's (gridmap.service.photos.MAX_PHOTO_PIXELS)
MAX_PHOTO_PIXELS = 40_000_000


def bounded_pixmap(source: bytes | Path | str, width: int) -> QPixmap | None:
    """The image in ``source`` (bytes or a file) scaled to at most ``width`` px wide, or None when it
    is not an image, is damaged, or has more than MAX_PHOTO_PIXELS pixels."""
    buffer = None
    if isinstance(source, bytes | bytearray):
        buffer = QBuffer()
        buffer.setData(QByteArray(bytes(source)))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
    else:
        reader = QImageReader(str(source))
    reader.setAutoTransform(True)  # phones store the orientation in EXIF
    size = reader.size()
    if not size.isValid() or size.width() <= 0 or size.height() <= 0:
        return None
    if size.width() * size.height() > MAX_PHOTO_PIXELS:
        return None
    if size.width() > width:
        reader.setScaledSize(QSize(width, max(1, round(size.height() * width / size.width()))))
    image = reader.read()
    if buffer is not None:
        buffer.close()
    if image.isNull():
        return None
    return QPixmap.fromImage(image)

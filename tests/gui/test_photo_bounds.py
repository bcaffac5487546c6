"""The desktop shows stored photos with a bounded decoder (issue 10): a decompression bomb stored
before the service checked photos is refused without allocating its bitmap."""

import io
import resource

from PIL import Image

from gridmap.gui.photo import bounded_pixmap
from tests.service.test_limits import png_bomb


def test_a_bomb_is_not_decoded(qapp):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert bounded_pixmap(png_bomb(12000), 320) is None  # 144 MP: 576 MB as RGBA
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100


def test_a_large_photo_is_decoded_at_the_size_shown(qapp, tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), (10, 90, 200)).save(buffer, "JPEG", quality=70)
    pixmap = bounded_pixmap(buffer.getvalue(), 320)
    assert pixmap is not None and (pixmap.width(), pixmap.height()) == (320, 240)
    path = tmp_path / "p.jpg"
    path.write_bytes(buffer.getvalue())
    assert bounded_pixmap(path, 320).width() == 320
    small = io.BytesIO()
    Image.new("RGB", (100, 50)).save(small, "PNG")
    assert bounded_pixmap(small.getvalue(), 320).width() == 100  # never enlarged


def test_garbage_is_no_photo(qapp):
    assert bounded_pixmap(b"\xff\xd8\xff\xe0 not an image", 320) is None
    assert bounded_pixmap(b"", 320) is None

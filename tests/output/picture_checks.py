"""What a valid picture is, for the drawing tests: an SVG parses as XML with an `<svg>` root of
positive size and unique ids; a PNG has the PNG signature, a positive IHDR size and decodes to
it."""

import io
import struct
import xml.etree.ElementTree as ET
from collections import Counter

import matplotlib.image as mpimg
import pytest

from qlaci_cost.output import drawing as drawing_module

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def svg_root(data: bytes) -> ET.Element:
    """The root of a valid SVG document (asserts what validity means here)."""
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    width, height = (float(root.get(k).removesuffix("pt")) for k in ("width", "height"))
    assert width > 0 and height > 0
    ids = Counter(el.get("id") for el in root.iter() if el.get("id"))
    assert not [i for i, k in ids.items() if k > 1], "duplicate ids"
    return root


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a valid PNG (signature, IHDR, and it decodes to that size)."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 0 and height > 0
    assert mpimg.imread(io.BytesIO(data), format="png").shape[:2] == (height, width)
    return width, height


def svg_text(root: ET.Element) -> str:
    return " ".join("".join(el.itertext()) for el in root.iter(f"{SVG}text"))


@pytest.fixture
def no_graphviz(monkeypatch):
    """Graphviz made unavailable: no `dot` on PATH, and pydot refuses to run anything."""
    import pydot

    real_which = drawing_module.shutil.which
    monkeypatch.setattr(
        drawing_module.shutil, "which", lambda name: None if name == "dot" else real_which(name)
    )

    def refuse(*args, **kwargs):
        raise AssertionError("pydot ran Graphviz although it is unavailable")

    monkeypatch.setattr(pydot.Dot, "create", refuse)
    assert not drawing_module.graphviz_available()

"""Recorded Engine API payloads (tests/data) and the injection strings they carry."""

from __future__ import annotations

import json
import os
import re

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(1)</script>"


def load(name: str):
    with open(os.path.join(DATA, name)) as f:
        return json.load(f)


def assert_inert(html: str) -> None:
    """No payload reaches the markup as markup: only escaped, and no tag a browser would run."""
    assert XSS_IMG not in html and XSS_SCRIPT not in html
    assert not re.search(r"<\s*(script|img|iframe|svg|object|embed)\b", html, re.I)
    assert not re.search(r"\son\w+\s*=", html.replace("onerror=alert", ""), re.I)

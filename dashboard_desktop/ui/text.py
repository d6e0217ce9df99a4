"""Showing server text safely: always as plain text."""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally although Qt may render tooltips as rich text."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""

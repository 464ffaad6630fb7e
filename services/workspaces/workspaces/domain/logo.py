"""The default logo of a workspace without an uploaded one: its initial on a solid colour."""

import unicodedata
from html import escape

# Solid backgrounds that keep white text readable (WCAG AA for large text).
LOGO_COLORS = (
    "#1677FF",
    "#0E7C86",
    "#2F54EB",
    "#722ED1",
    "#C41D7F",
    "#D4380D",
    "#AD6800",
    "#389E0D",
    "#08979C",
    "#531DAB",
    "#CF1322",
    "#1D39C4",
)


def logo_initial(name: str) -> str:
    """The first letter of the name as the default logo shows it: uppercase for Latin."""
    first = name.strip()[:1] or "?"
    return first.upper() if "LATIN" in unicodedata.name(first, "") else first


def default_logo_svg(name: str, color: str) -> str:
    initial = escape(logo_initial(name))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
        f'<rect width="256" height="256" fill="{escape(color)}"/>'
        '<text x="128" y="128" dy=".35em" text-anchor="middle" fill="#FFFFFF" '
        'font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, Arial, sans-serif" '
        f'font-size="128" font-weight="600">{initial}</text></svg>'
    )

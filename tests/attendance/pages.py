"""What a person reads on a desk page: the text without tags, spaces collapsed."""
import re
from html import unescape


def visible_text(html: str) -> str:
    """The page's text as read (scripts, styles and tags dropped, whitespace collapsed)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()

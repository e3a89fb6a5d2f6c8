"""The site's languages: which locales exist, how a request's language is chosen, and the chooser's links.

A participant's language comes, in this order, from `?lang=xx` (the chooser's links; remembered in a
cookie), the delegate's stored `locale` on their private pages, the cookie, then Accept-Language.
Anything that is not one of LOCALES is ignored. Organisers' pages (/manage, /checkin, /auth) stay
in English.
"""
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from flask import request, url_for

# Babel's names, which are also the catalogue directories in translations/: zh_Hans is Simplified Chinese.
LOCALES = ("en", "th", "km", "my", "lo", "vi", "zh_Hans")
DEFAULT_LOCALE = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
WORKSPACE_PREFIXES = ("/manage", "/checkin", "/auth")
# The language of the event's country comes first in the chooser (ISO 3166 code -> locale).
COUNTRY_LOCALE = {"TH": "th", "KH": "km", "MM": "my", "LA": "lo", "VN": "vi", "CN": "zh_Hans"}


@lru_cache(maxsize=1024)  # every request asks for a few (query, cookie, Accept-Language); Babel's parse is not free
def supported(value: str | None) -> str | None:
    """The supported locale a value names ('km', 'zh-Hans', 'zh_CN', 'ZH'), or None for anything else."""
    if not value or len(value) > 35:
        return None
    try:
        parsed = Locale.parse(value.strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    if parsed.language == "zh":
        # Simplified is the only Chinese catalogue; a Traditional reader still reads it far better than English.
        return "zh_Hans"
    return parsed.language if parsed.language in LOCALES else None


def negotiate(*, asked: str | None, stored: str | None, remembered: str | None,
              accepted: list[tuple[str, float]]) -> str:
    """The request's locale from what was asked for, stored for the delegate, remembered, and accepted."""
    for value in (asked, stored, remembered):
        found = supported(value)
        if found:
            return found
    for tag, _quality in sorted(accepted, key=lambda item: -item[1]):  # stable: header order breaks ties
        found = supported(tag)
        if found:
            return found
    return DEFAULT_LOCALE


def is_workspace(path: str) -> bool:
    """True for the organisers' pages, which stay in English."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in WORKSPACE_PREFIXES)


def own_name(locale: str) -> str:
    """The language's name in its own script, from CLDR: 'ខ្មែរ', 'ไทย', '简体中文'."""
    return language_name(locale, locale)


@lru_cache(maxsize=256)
def language_name(code: str, reader: str) -> str:
    """A language's name in the reader's language, from CLDR ('km' for a Thai reader: 'เขมร')."""
    try:
        names = Locale.parse(reader).languages
    except (ValueError, TypeError, UnknownLocaleError):
        names = Locale.parse(DEFAULT_LOCALE).languages
    name = names.get(code) or code
    return name[:1].upper() + name[1:]


def interpretation_label(code: str, reader: str) -> str:
    """An interpretation language for a reader: 'Khmer (ខ្មែរ)' in English, 'ខ្មែរ' in Khmer."""
    name, own = language_name(code, reader), language_name(code, code)
    return name if name == own else f"{name} ({own})"


def ordered(country: str | None = None) -> list[str]:
    """The locales in the chooser's order: the event's country's language first, then LOCALES' order."""
    first = COUNTRY_LOCALE.get((country or "").upper())
    return ([first] if first else []) + [code for code in LOCALES if code != first]


def chooser(current: str, country: str | None = None) -> list[dict]:
    """The chooser's links to this page in every language (name in its own script, URL, BCP 47 tag)."""
    args = dict(request.view_args or {})
    query = {key: value for key, value in request.args.items() if key != "lang"}
    links = []
    for code in ordered(country):
        url = url_for(request.endpoint, **args, **query, lang=code) if request.endpoint else f"?lang={code}"
        links.append({"code": code, "name": own_name(code), "url": url, "tag": code.replace("_", "-"),
                      "current": code == current})
    return links


def remember(response):
    """After a request that asked for a supported language: keep the choice in a cookie for a year."""
    if request.method == "GET" and not is_workspace(request.path):
        asked = supported(request.args.get("lang"))
        if asked and request.cookies.get(COOKIE) != asked:
            response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                                secure=request.is_secure)
    return response

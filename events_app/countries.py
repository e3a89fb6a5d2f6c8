"""ISO 3166-1 alpha-2 country codes and their names, from the CLDR data that Babel ships."""
from functools import lru_cache

from babel import Locale

# CLDR lists groupings and private-use codes among territories; these are not countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
# Listed first in menus: the network's own countries.
REGION_FIRST = ["KH", "LA", "MM", "TH", "VN", "CN"]
# The network's own usage in English where it differs from CLDR's ("Laos", "Myanmar (Burma)").
NETWORK_NAMES = {"en": {"LA": "Lao PDR", "MM": "Myanmar"}}


@lru_cache(maxsize=16)
def country_names(locale: str = "en") -> dict[str, str]:
    """{code: name} for every country, in the given language."""
    parsed = Locale.parse(locale)
    names = {
        code: name
        for code, name in parsed.territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    names.update(NETWORK_NAMES.get(parsed.language, {}))
    return names


def is_country(code: str) -> bool:
    """True for a known ISO 3166-1 alpha-2 code (upper case)."""
    return code in country_names("en")


def country_name(code: str, locale: str = "en") -> str:
    """The country's name in the network's usage, or the code itself when unknown."""
    code = (code or "").upper()
    try:
        return country_names(locale).get(code, code)
    except (ValueError, TypeError):
        return country_names("en").get(code, code)


@lru_cache(maxsize=16)
def country_choices(locale: str = "en") -> tuple[tuple[str, str], ...]:
    """(code, name) pairs: the region's countries first, then the rest alphabetically (cached per language)."""
    names = country_names(locale)
    first = [(code, names[code]) for code in REGION_FIRST]
    rest = sorted(((c, n) for c, n in names.items() if c not in REGION_FIRST), key=lambda item: item[1])
    return tuple(first + rest)

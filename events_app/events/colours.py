"""Badge colours: the default palette per participant role and stakeholder group, and the #rrggbb rule."""
import re

# Default badge colours; an event's `badge_colours` overrides them per key.
ROLE_COLOURS = {
    "participant": "#1f5fa8",
    "speaker": "#c0392b",
    "moderator": "#7d3c98",
    "rapporteur": "#d35400",
    "observer": "#5d6d7e",
    "organiser": "#117a65",
    "staff": "#1c2833",
    "press": "#b7950b",
    "interpreter": "#239b56",
}
GROUP_COLOURS = {
    "government": "#1f5fa8",
    "ngo": "#239b56",
    "migrant_group": "#d35400",
    "trade_union": "#c0392b",
    "international_org": "#117a65",
    "un_agency": "#2e86c1",
    "academic": "#7d3c98",
    "media": "#b7950b",
    "donor": "#5d6d7e",
    "private_sector": "#6e2c00",
    "other": "#566573",
}
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")  # use fullmatch


def default_colour(key: str) -> str:
    """The colour a role or stakeholder group has when the event does not choose one."""
    return ROLE_COLOURS.get(key) or GROUP_COLOURS.get(key) or "#566573"

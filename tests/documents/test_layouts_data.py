"""Layouts match the paper and label makers' geometry; BadgeData is built from the data dictionary."""
from datetime import date
from itertools import combinations

import pytest
from reportlab.lib.units import mm

from events_app.countries import country_name
from events_app.documents.badges.layouts import LAYOUTS, get_layout
from events_app.documents.data import badge_from_fields, format_dates, legend_for


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_badges_are_on_the_page_and_never_overlap(name):
    layout = LAYOUTS[name]
    page_w, page_h = layout.page_size
    cells = layout.cells()
    assert len(cells) == layout.per_page
    for x, y, w, h in cells:
        assert x >= -0.01 and y >= -0.01 and x + w <= page_w + 0.01 and y + h <= page_h + 0.01
    for (ax, ay, aw, ah), (bx, by, bw, bh) in combinations(cells, 2):
        assert ax + aw <= bx + 0.01 or bx + bw <= ax + 0.01 or ay + ah <= by + 0.01 or by + bh <= ay + 0.01


def test_avery_l4785_matches_the_template():
    layout = get_layout("avery-l4785")  # 80 x 50 mm, 2 x 5, 18 mm left, 13 mm top, pitch 95 x 55
    x, y, w, h = layout.cells()[0]
    assert (round(x / mm, 2), round((layout.page_size[1] - y - h) / mm, 2)) == (18, 13)
    assert (round(w / mm, 2), round(h / mm, 2)) == (80, 50)
    last = layout.cells()[-1]
    assert round(last[0] / mm, 2) == 18 + 95 and round(last[1] / mm, 2) == round(297 - 13 - 4 * 55 - 50, 2)


def test_cr80_is_one_card_per_page():
    layout = get_layout("cr80")
    assert layout.per_page == 1
    assert [round(v / mm, 2) for v in layout.page_size] == [85.6, 53.98]


def test_offset_is_right_and_down():
    plain = get_layout("a4-8up").cells()[0]
    moved = get_layout("a4-8up").cells((2.0, 1.5))[0]
    assert moved[0] - plain[0] == pytest.approx(2 * mm)
    assert plain[1] - moved[1] == pytest.approx(1.5 * mm)


def test_badge_fields_follow_the_data_dictionary():
    badge = badge_from_fields({
        "full_name": "李明华", "name_latin": "Li Minghua", "honorific": "Ms.", "organisation": "YASS",
        "country": "CN", "region": "Yunnan", "stakeholder_group": "academic",
        "participant_role": "speaker", "checkin_code": "c" * 22,
    })
    assert badge.badge_name == "李明华" and badge.name_latin == "Li Minghua"
    assert badge.country == "Yunnan, China"
    assert (badge.participant_role, badge.stakeholder_group, badge.colour_key) == ("Speaker", "Academic",
                                                                                    "speaker")
    by_group = badge_from_fields({"full_name": "Emily Clarke", "name_latin": "Emily Clarke", "country": "TH",
                                  "stakeholder_group": "un_agency", "checkin_code": "x" * 22},
                                 colour_by="stakeholder_group")
    assert by_group.name_latin == ""  # same as the badge name: not printed twice
    assert by_group.colour_key == "un_agency"
    assert by_group.participant_role == "Participant"


def test_badge_name_overrides_full_name():
    badge = badge_from_fields({"full_name": "Khin Mar Oo", "badge_name": "Daw Khin",
                               "checkin_code": "k" * 22})
    assert badge.badge_name == "Daw Khin"


def test_country_names_use_the_networks_usage():
    assert [country_name(c) for c in ("KH", "LA", "MM", "TH", "VN", "CN")] == [
        "Cambodia", "Lao PDR", "Myanmar", "Thailand", "Vietnam", "China"]


def test_date_ranges():
    assert format_dates(date(2026, 3, 3), date(2026, 3, 5)) == "3\u20135 March 2026"
    assert format_dates(date(2026, 3, 30), date(2026, 4, 2)) == "30 March \u2013 2 April 2026"
    assert format_dates(date(2026, 3, 3), date(2026, 3, 3)) == "3 March 2026"


def test_legend_overrides_and_labels():
    legend = {e.key: e for e in legend_for("participant_role", {"speaker": "#000000"})}
    assert legend["speaker"].colour == "#000000" and legend["speaker"].label == "Speaker"
    assert {e.key for e in legend_for("stakeholder_group")} >= {"government", "ngo", "migrant_group"}

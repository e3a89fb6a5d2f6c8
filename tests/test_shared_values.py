"""The values every package shares have one home: country names in the network's usage, yes/no words."""
import pytest

from events_app.choices import parse_boolean
from events_app.countries import country_choices, country_name


def test_the_network_says_lao_pdr_and_myanmar_in_english():
    assert country_name("LA") == "Lao PDR"
    assert country_name("mm") == "Myanmar"
    assert dict(country_choices("en"))["MM"] == "Myanmar"


def test_other_languages_keep_their_own_cldr_names():
    assert country_name("KH", "th") == "กัมพูชา"
    assert country_name("LA", "km") != "Lao PDR"


def test_unknown_codes_are_shown_as_they_are():
    assert country_name("QQ") == "QQ"
    assert country_name("") == ""


def test_environment_words_are_read_like_spreadsheet_words():
    assert parse_boolean("on") is True and parse_boolean("OFF") is False


def test_a_setting_that_is_not_yes_or_no_stops_the_app_with_its_name(monkeypatch):
    import config

    monkeypatch.setenv("MAIL_USE_TLS", "perhaps")
    with pytest.raises(RuntimeError, match="MAIL_USE_TLS: 'perhaps' is not yes or no"):
        config._bool("MAIL_USE_TLS", False)

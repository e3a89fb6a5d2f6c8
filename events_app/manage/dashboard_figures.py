"""The dashboard's figures: each a chart, its numbers as a table (the same rows as its CSV) and a sentence or two."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from events_app.choices import LANGUAGE_LABELS, Dietary, Gender, QuotaKind, StakeholderGroup, Status
from events_app.countries import country_name
from events_app.formatting import day_label
from events_app.manage import charts
from events_app.manage.charts import Bar, Series
from events_app.manage.dashboard import EventNumbers, Split, event_numbers

OTHER_COUNTRIES_AFTER = 7  # the balance chart names the largest countries and adds up the rest


@dataclass(frozen=True)
class Figure:
    """One figure of the dashboard: its key (in the CSV's address), chart, table and summary sentences."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    chart: Markup | None = None
    facts: list[str] = field(default_factory=list)


def dashboard(event) -> list[Figure]:
    """Every figure of the event's dashboard, in the order the page shows them."""
    numbers = event_numbers(event)
    builders: list[Callable[..., Figure]] = [
        _statuses, _quotas, _balance, _genders, _registrations, _attendance, _diets, _languages, _needs,
    ]
    return [builder(event, numbers) for builder in builders]


def _statuses(event, numbers: EventNumbers) -> Figure:
    counts = numbers.statuses
    approved = counts[Status.APPROVED]
    if event.capacity is None:
        facts = [_("No capacity limit: %(approved)s approved.", approved=approved)]
    else:
        facts = [_("%(approved)s approved of %(capacity)s places: %(left)s places left.", approved=approved,
                   capacity=event.capacity, left=max(event.capacity - approved, 0))]
    bars = [Bar(status.label, count, event.capacity if status == Status.APPROVED else None)
            for status, count in counts.items()]
    title = _("Registrations by status")
    return Figure("status", title, [_("Status"), _("Registrations")],
                  [[status.label, count] for status, count in counts.items()],
                  charts.bar_chart("status", title, _summary(facts, bars), bars), facts)


def _quotas(event, numbers: EventNumbers) -> Figure:
    by_group, by_country = _totals(numbers)
    rows, bars = [], []
    for quota in event.quotas:
        if quota.kind == QuotaKind.STAKEHOLDER_GROUP:
            name, approved = StakeholderGroup(quota.value).label, by_group.get(quota.value, Split()).approved
        else:
            name, approved = _country(quota.value), by_country.get(quota.value, Split()).approved
        rows.append([name, quota.kind.label, approved, quota.places, max(quota.places - approved, 0)])
        bars.append(Bar(name, approved, quota.places))
    title = _("Quotas")
    facts = [] if rows else [_("This event has no quotas.")]
    chart = charts.bar_chart("quotas", title, _summary(facts, bars), bars) if bars else None
    return Figure("quotas", title, [_("Quota"), _("Kind"), _("Approved"), _("Places"), _("Places left")], rows,
                  chart, facts)


def _balance(event, numbers: EventNumbers) -> Figure:
    by_group, by_country = _totals(numbers)
    groups = [group for group in StakeholderGroup if group in by_group]
    named = sorted(by_country, key=lambda code: (-by_country[code].approved, code))[:OTHER_COUNTRIES_AFTER]
    series = [Series(_country(code), [numbers.balance.get((group, code), Split()).approved for group in groups])
              for code in named]
    if len(by_country) > len(named):
        series.append(Series(_("Other countries"), [
            by_group[group].approved - sum(s.values[i] for s in series) for i, group in enumerate(groups)]))
    rows = [[group.label, _country(code), split.approved, split.active]
            for (group, code), split in sorted(numbers.balance.items(), key=lambda item: (
                list(StakeholderGroup).index(item[0][0]), _country(item[0][1])))]
    title = _("Approved delegates by stakeholder group and country")
    facts = [_("%(groups)s stakeholder groups and %(countries)s countries among the active registrations.",
               groups=len(groups), countries=len(by_country))]
    chart = charts.stacked_bar_chart("balance", title, _summary(facts, [Bar(g.label, by_group[g].approved)
                                                                        for g in groups]),
                                     [group.label for group in groups], series) if groups else None
    return Figure("balance", title, [_("Stakeholder group"), _("Country"), _("Approved"), _("All active")], rows,
                  chart, facts)


def _genders(event, numbers: EventNumbers) -> Figure:
    return _split_figure("gender", _("Gender"), _("Gender"), _in_choice_order(Gender, numbers.genders))


def _registrations(event, numbers: EventNumbers) -> Figure:
    per_day = numbers.registered_per_day
    title = _("Registrations received per day")
    if not per_day:
        return Figure("registrations", title, [_("Day"), _("Received"), _("Running total")], [],
                      facts=[_("No registrations yet.")])
    first = min(per_day)
    if event.registration_opens_at:
        first = min(first, event.registration_opens_at.astimezone(event.tz).date())
    last = max(max(per_day), min(event.today(), event.ends_on))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    daily = [per_day.get(day, 0) for day in days]
    running = [sum(daily[:n + 1]) for n in range(len(daily))]
    facts = [ngettext("%(total)s registrations in %(num)s day, most on %(best)s (%(count)s).",
                      "%(total)s registrations in %(num)s days, most on %(best)s (%(count)s).", len(days),
                      total=running[-1], best=day_label(days[daily.index(max(daily))]), count=max(daily))]
    chart = charts.time_chart("registrations", title, " ".join(facts), [day_label(day) for day in days],
                              Series(_("Received that day"), daily), Series(_("Running total"), running))
    return Figure("registrations", title, [_("Day"), _("Received"), _("Running total")],
                  [[day, count, total] for day, count, total in zip(days, daily, running, strict=True)], chart, facts)


def _attendance(event, numbers: EventNumbers) -> Figure:
    approved = numbers.statuses[Status.APPROVED]
    checked_in = [numbers.checked_in_per_day.get(day, 0) for day in event.days]
    rows = [[day, approved, count, _share(count, approved)] for day, count in zip(event.days, checked_in, strict=True)]
    title = _("Attendance per day")
    labels = [day_label(day) for day in event.days]
    series = [Series(_("Approved"), [approved] * len(labels)), Series(_("Checked in"), checked_in)]
    facts = [_("%(day)s: %(count)s checked in of %(approved)s approved.", day=label, count=count, approved=approved)
             for label, count in zip(labels, checked_in, strict=True)]
    return Figure("attendance", title, [_("Day"), _("Approved"), _("Checked in"), _("Share")], rows,
                  charts.grouped_bar_chart("attendance", title, " ".join(facts), labels, series))


def _diets(event, numbers: EventNumbers) -> Figure:
    return _split_figure("diets", _("Diets"), _("Diet"), _in_choice_order(Dietary, numbers.diets))


def _languages(event, numbers: EventNumbers) -> Figure:
    labelled = [(LANGUAGE_LABELS[code], split) for code, split in numbers.languages.items()]
    return _split_figure("languages", _("Interpretation requested"), _("Language"), labelled)


def _needs(event, numbers: EventNumbers) -> Figure:
    names = {
        "accessibility": _("Accessibility needs"),
        "visa_requested": _("Visa letter requested"),
        "visa_released": _("Visa letter released"),
        "visa_pending": _("Visa letter still to release"),
        "travel_support": _("Travel support requested"),
        "accommodation": _("Accommodation needed"),
    }
    return _split_figure("needs", _("Other needs to plan for"), _("Need"),
                         [(names[key], split) for key, split in numbers.needs.items()])


def _split_figure(key: str, title: str, heading: str, labelled: list[tuple[str, Split]]) -> Figure:
    """A figure of approved and all active counts per label: grouped bars, a table, a CSV."""
    rows = [[label, split.approved, split.active] for label, split in labelled]
    facts = [_("%(label)s: %(approved)s approved, %(active)s active.", label=label, approved=split.approved,
               active=split.active) for label, split in labelled if split.active]
    series = [Series(_("Approved"), [split.approved for _label, split in labelled]),
              Series(_("All active"), [split.active for _label, split in labelled])]
    chart = charts.grouped_bar_chart(key, title, " ".join(facts) or _("None."), [label for label, _s in labelled],
                                     series) if labelled else None
    return Figure(key, title, [heading, _("Approved"), _("All active")], rows, chart)


def _in_choice_order(choice, splits: dict) -> list[tuple[str, Split]]:
    """(label, split) for each value present, in the choice's own order, "Not given" last."""
    present = [(member.label, splits[member]) for member in choice if member in splits]
    return present + ([(_("Not given"), splits[None])] if None in splits else [])


def _totals(numbers: EventNumbers) -> tuple[dict, dict]:
    """Approved and active counts per stakeholder group and per country, added up from the balance."""
    by_group: dict = {}
    by_country: dict = {}
    for (group, code), split in numbers.balance.items():
        for totals, key in ((by_group, group), (by_country, code)):
            before = totals.get(key, Split())
            totals[key] = Split(before.approved + split.approved, before.active + split.active)
    return by_group, by_country


def _country(code: str) -> str:
    return country_name(code, str(get_locale() or "en"))


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def _summary(facts: list[str], bars: list[Bar]) -> str:
    """The chart's description for screen readers: its facts, then every bar's label and value."""
    return " ".join([*facts, *(f"{bar.label}: {bar.value}" + (f" / {bar.target}" if bar.target is not None else "")
                               for bar in bars)])


def day_or_text(value) -> str:
    """A table cell as the page shows it: days as "Tue 3 Mar", the rest as given."""
    return day_label(value) if isinstance(value, date) else value

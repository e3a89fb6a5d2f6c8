"""A delegate's fields checked by the registration form's own rules, without binding a WTForms form.

Binding the form costs a millisecond or more (32 fields, their translations, the choice lists), which
an import of 10,000 rows and a busy registration page cannot afford. The rules keep one home, the form
class (forms.RegistrationForm plus the event's question fields): its fields' validators, filters,
choices and messages, its validate_<field> methods and its visa rule (forms.require_visa_details).
The checker binds one template form per form class, once, and reads all of that off it; for each
input it only turns the raw values into data the way WTForms does for the five kinds of field the form
has, then runs those same validators, in the same order, on light stand-ins for the fields.
tests/registration/test_checker.py feeds the same random and tricky inputs to both and asserts
identical data and errors; a field of a kind the checker does not know is refused when the template
is read, never checked differently.
"""
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from flask_babel import force_locale, get_locale
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import StopValidation, ValidationError

from events_app.registration.forms import RegistrationForm, delegate_data_from, form_class_for, require_visa_details

TEXT, BOOLEAN, DATE, CHOICE, CHOICES = "text", "boolean", "date", "choice", "choices"
# WTForms' own messages for a field that sets none (translated by WTForms' catalogue, not ours).
WTFORMS = {
    "choice": "Not a valid choice.",
    "choices": ("'%(value)s' is not a valid choice for this field.",
                "'%(value)s' are not valid choices for this field."),
    "date": "Not a valid date value.",
    "coerce": "Invalid Choice: could not coerce.",
    "coerce_all": "Invalid choice(s): one or more data inputs could not be coerced.",
}


@dataclass(frozen=True)
class Checked:
    """The outcome: ok, the delegate's data (as RegistrationForm.delegate_data(), {} unless ok) and the errors."""

    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


def check_delegate(formdata: Mapping[str, Any], *, questions=(), locale: str) -> Checked:
    """Check one delegate's fields (a MultiDict, or a dict of str / list of str) as the form would.

    `questions` are the event's questions (those whose fields the input may have); messages are in `locale`.
    """
    plan = _plan(form_class_for(questions))
    current = get_locale()
    with nullcontext() if current is not None and str(current) == locale else force_locale(locale):
        return plan.check(formdata)


class _Field:
    """What a validator reads and writes of a bound field: data, raw data, errors, messages."""

    __slots__ = ("plan", "data", "raw_data", "errors", "process_errors")

    def __init__(self, plan: "_FieldPlan"):
        self.plan = plan
        self.data = plan.default
        self.raw_data: list = []
        self.errors: list = []
        self.process_errors: list = []

    @property
    def name(self) -> str:
        return self.plan.name

    def gettext(self, string):
        return self.plan.template.gettext(string)

    def ngettext(self, singular, plural, n):
        return self.plan.template.ngettext(singular, plural, n)


class _Form:
    """The stand-in for the form that validators and validate_<field> methods read other fields from."""

    def __init__(self, fields: dict[str, _Field]):
        self.__dict__.update(fields)

    def __getitem__(self, name: str) -> _Field:
        return self.__dict__[name]


@dataclass(frozen=True)
class _FieldPlan:
    """One field of the template form: how its raw values become data, and its validators."""

    name: str
    kind: str
    template: Any  # the template's bound field (for its attributes and message catalogue)
    default: Any
    filters: tuple[Callable, ...]
    validators: tuple[Callable, ...]  # the field's own, then the form's validate_<name>
    choices: frozenset | None  # coerced values accepted, when the field checks its choice

    def process(self, one: _Field, raw: list) -> None:
        """Field.process with formdata: process_formdata by kind, then the filters."""
        one.raw_data = raw
        try:
            _PROCESS[self.kind](self.template, one, raw)
        except ValueError as error:
            one.process_errors.append(error.args[0])
        try:
            for filter_ in self.filters:
                one.data = filter_(one.data)
        except ValueError as error:
            one.process_errors.append(error.args[0])

    def validate(self, form: _Form, one: _Field) -> None:
        """Field.validate: pre_validate (the choice), then the validators until one stops the chain."""
        one.errors = list(one.process_errors)
        stopped = False
        try:
            self._pre_validate(one)
        except StopValidation as stop:
            if stop.args and stop.args[0]:
                one.errors.append(stop.args[0])
            stopped = True
        except ValidationError as error:
            one.errors.append(error.args[0])
        if stopped:
            return
        for validator in self.validators:
            try:
                validator(form, one)
            except StopValidation as stop:
                if stop.args and stop.args[0]:
                    one.errors.append(stop.args[0])
                return
            except ValidationError as error:
                one.errors.append(error.args[0])

    def _pre_validate(self, one: _Field) -> None:
        # SelectField.pre_validate and SelectMultipleField.pre_validate, against a set instead of the list.
        if self.choices is None or one.process_errors:
            return
        template = self.template
        if self.kind == CHOICE and one.data not in self.choices:
            raise ValidationError(template.invalid_choice_message or template.gettext(WTFORMS["choice"]))
        if self.kind == CHOICES and one.data:
            wrong = [str(value) for value in set(one.data) if value not in self.choices]
            if wrong:
                message = template.invalid_choice_message
                if callable(message):
                    message = message(len(wrong))
                elif message is None:
                    message = template.ngettext(*WTFORMS["choices"], len(wrong))
                raise ValidationError(message % {"value": "', '".join(wrong)})


def _text(template, one: _Field, raw: list) -> None:
    if raw:
        one.data = raw[0]


def _boolean(template, one: _Field, raw: list) -> None:
    one.data = not (not raw or raw[0] in template.false_values)


def _date(template, one: _Field, raw: list) -> None:
    if not raw:
        return
    for format_ in template.strptime_format:
        try:
            one.data = datetime.strptime(" ".join(raw), format_).date()
            return
        except (ValueError, TypeError):
            one.data = None
    raise ValueError(template.invalid_value_message or template.gettext(WTFORMS["date"]))


def _choice(template, one: _Field, raw: list) -> None:
    if not raw:
        return
    try:
        one.data = template.coerce(raw[0])
    except (ValueError, TypeError) as error:
        raise ValueError(template.invalid_value_message or template.gettext(WTFORMS["coerce"])) \
            from error


def _choices(template, one: _Field, raw: list) -> None:
    try:
        one.data = [template.coerce(value) for value in raw]
    except (ValueError, TypeError) as error:
        raise ValueError(template.invalid_value_message or template.gettext(WTFORMS["coerce_all"])) from error


_PROCESS = {TEXT: _text, BOOLEAN: _boolean, DATE: _date, CHOICE: _choice, CHOICES: _choices}


def _kind(template) -> str:
    """Which of the five kinds a bound field is; a field that processes or checks its input otherwise is refused."""
    for kind, field_class in ((CHOICES, SelectMultipleField), (CHOICE, SelectField), (DATE, DateField),
                              (BOOLEAN, BooleanField), (TEXT, StringField)):
        if isinstance(template, field_class):
            same = all(getattr(type(template), method) is getattr(field_class, method)
                       for method in ("process", "process_formdata", "pre_validate", "post_validate", "validate"))
            if same:
                return kind
            break
    raise TypeError(f"registration.checker does not know {type(template).__name__} ({template.name})")


class _Plan:
    """A form class read once: its fields in order, with what the checker needs of each."""

    def __init__(self, form_class: type[RegistrationForm]):
        template = form_class(formdata=None, meta={"csrf": False}, locale="en")
        self.fields: list[_FieldPlan] = []
        for bound in template:
            kind = _kind(bound)
            inline = getattr(form_class, f"validate_{bound.name}", None)
            choices = None
            if kind in (CHOICE, CHOICES) and bound.validate_choice:
                choices = frozenset(bound.coerce(choice[0]) for choice in bound.choices)
            self.fields.append(_FieldPlan(
                name=bound.name, kind=kind, template=bound, default=bound.data,
                filters=tuple(bound.filters), validators=(*bound.validators, *([inline] if inline else [])),
                choices=choices))

    def check(self, formdata: Mapping[str, Any]) -> Checked:
        getlist = formdata.getlist if hasattr(formdata, "getlist") else _getlist(formdata)
        fields = {plan.name: _Field(plan) for plan in self.fields}
        for plan in self.fields:
            plan.process(fields[plan.name], getlist(plan.name))
        form = _Form(fields)
        for plan in self.fields:
            plan.validate(form, fields[plan.name])
        require_visa_details(form)
        errors = {name: [str(message) for message in one.errors] for name, one in fields.items() if one.errors}
        if errors:
            return Checked(ok=False, errors=errors)
        return Checked(ok=True, data=delegate_data_from({name: one.data for name, one in fields.items()}))


def _getlist(formdata: Mapping[str, Any]) -> Callable[[str], list]:
    """getlist over a plain dict: a str is one value, a list or tuple several, an absent key none."""

    def getlist(name: str) -> list:
        value = formdata.get(name)
        if value is None:
            return []
        return [value] if isinstance(value, str) else list(value)

    return getlist


@lru_cache(maxsize=256)
def _plan(form_class: type[RegistrationForm]) -> _Plan:
    return _Plan(form_class)

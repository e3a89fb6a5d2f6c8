"""A registration's JSON through the registration form's own rules (as the importer does with a row).

The pydantic models have checked the shape; the form checks what the web form checks (email,
phone with the country, Latin name, consent, dates in order, passport details for a visa letter,
the event's questions) and gives the same messages, field by field.
"""
import hashlib
from datetime import date
from enum import Enum

from werkzeug.datastructures import MultiDict

from events_app.api.errors import ApiError, form_fields
from events_app.choices import VISA_FIELDS
from events_app.registration.forms import RegistrationForm, form_data_from, organiser_form_for
from events_app.registration.questions import PREFIX, add_question_fields

NOT_FORM_FIELDS = ("invitation_code",)


def formdata(values: dict) -> MultiDict:
    """Plain values as a submitted form would send them (a checkbox only when ticked)."""
    sent = MultiDict()
    for name, value in values.items():
        if value is None or value is False:
            continue
        if value is True:
            sent.add(name, "y")
        elif isinstance(value, list | tuple):
            for item in value:
                sent.add(name, item.value if isinstance(item, Enum) else str(item))
        elif isinstance(value, Enum):
            sent.add(name, value.value)
        elif isinstance(value, date):
            sent.add(name, value.isoformat())
        else:
            sent.add(name, str(value))
    return sent


def _with_answers(values: dict, event) -> dict:
    """The event's questions' answers as the form's q_<key> fields; an unknown key is an error."""
    answers = values.pop("answers", None) or {}
    keys = {question.key for question in event.questions}
    unknown = sorted(set(answers) - keys)
    if unknown:
        raise ApiError(422, "Some fields are not valid.",
                       fields={f"answers.{key}": ["This event has no such question."] for key in unknown})
    return {**values, **{PREFIX + key: answer for key, answer in answers.items()}}


def _checked(form) -> dict:
    if not form.validate():
        fields = {("answers." + name[len(PREFIX):] if name.startswith(PREFIX) else name): messages
                  for name, messages in form_fields(form).items()}
        raise ApiError(422, "Some fields are not valid.", fields=fields)
    return form.delegate_data()


def new_delegate(event, values: dict) -> dict:
    """Delegate data for registration.services.register from a RegistrationIn's values; 422 when invalid."""
    values = _with_answers({k: v for k, v in values.items() if k not in NOT_FORM_FIELDS}, event)
    form_class = add_question_fields(RegistrationForm, event.questions)
    return _checked(form_class(formdata=formdata(values), meta={"csrf": False}, locale="en"))


def changed_delegate(event, registration, changes: dict) -> dict:
    """Delegate data for update_details: the stored values with `changes` over them; 422 when invalid."""
    current = form_data_from(registration)
    for name in VISA_FIELDS:  # the organisers' form keeps stored passport details when left empty
        current.pop(name, None)
    values = {**current, **_with_answers(dict(changes), event)}
    return _checked(organiser_form_for(event, registration, formdata=formdata(values), meta={"csrf": False}))


def submission_key(user_id: int, idempotency_key: str | None) -> str | None:
    """The registration service's one-time key for a client's Idempotency-Key (namespaced by user)."""
    if not idempotency_key:
        return None
    return "api:" + hashlib.sha256(f"{user_id}:{idempotency_key}".encode()).hexdigest()[:56]

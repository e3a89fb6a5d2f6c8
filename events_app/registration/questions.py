"""An event's extra questions as form fields, and their answers as plain values."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, ValidationError
from wtforms.validators import InputRequired, Optional

from events_app.registration.field_messages import at_most, choice_field

PREFIX = "q_"


def _required_yes_no(form, field):
    if not field.data:
        raise ValidationError(_l("Please answer this question."))


def add_question_fields(form_class, questions):
    """A subclass of form_class with one field per question, named q_<key>."""
    if not questions:
        return form_class
    attrs = {}
    for question in questions:
        name = PREFIX + question.key
        if question.kind == "choice":
            validators = [InputRequired(_l("Please choose an answer."))] if question.required else [Optional()]
            attrs[name] = choice_field(question.label, RadioField, choices=[(o, o) for o in question.options],
                                       validators=validators)
        elif question.kind == "yes_no":
            attrs[name] = BooleanField(question.label, validators=[_required_yes_no] if question.required else [])
        else:
            validators = [InputRequired(_l("Please answer this question."))] if question.required else [Optional()]
            attrs[name] = StringField(question.label, validators=[*validators, at_most(1000)])
    return type(form_class.__name__ + "WithQuestions", (form_class,), attrs)


def question_fields(form):
    """The bound question fields of a form, in order."""
    return [field for field in form if field.name.startswith(PREFIX)]


def answers_from_values(values) -> dict:
    """{key: answer} from {field name: data}: the q_<key> entries, in order, text without surrounding spaces."""
    return {name[len(PREFIX):]: value.strip() if isinstance(value, str) else value
            for name, value in values.items() if name.startswith(PREFIX)}


def fill_answers(form, answers: dict) -> None:
    """Put stored answers back into the question fields (for editing)."""
    for field in question_fields(form):
        key = field.name[len(PREFIX):]
        if key in answers:
            field.data = answers[key]

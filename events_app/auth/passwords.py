"""Password rules: at least 12 characters, and not a common or easily guessed password.

"Common" is judged offline by zxcvbn (a PyPI package, no download at run time): its packaged list of 30,000
frequent passwords, and its estimate of how many guesses the password needs (score 0-4; below 3 it would
fall to an offline attack on a leaked hash within days).
"""
from functools import lru_cache

MIN_PASSWORD_LENGTH = 12
MIN_SCORE = 3
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; a longer password is judged on its first 72 characters


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # imported when first needed: a large module

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why this password is refused (one English sentence), or None when it is fine.

    `user_inputs` are the account's email and name: a password built from them is easy to guess.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
    if password.strip().lower() in _common_passwords():
        return "This password is on a list of common passwords. Please choose another."
    from zxcvbn import zxcvbn

    inputs = [part for value in user_inputs if value for part in (value, *value.replace("@", " ").split())]
    if zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=inputs)["score"] < MIN_SCORE:
        return ("This password is too easy to guess (a common word, a pattern, or your name or email). "
                "A few unrelated words are easy to remember and hard to guess.")
    return None

"""What the API says to people, in Greek (default) and English."""

from __future__ import annotations

# Problem titles by problem type.
TITLES: dict[str, tuple[str, str]] = {
    "validation": ("Τα στοιχεία που στείλατε δεν είναι έγκυρα.", "The data you sent is not valid."),
    "bad-request": ("Το αίτημα δεν είναι έγκυρο JSON.", "The request is not valid JSON."),
    "not-found": ("Δεν βρέθηκε.", "Not found."),
    "unauthorized": ("Χρειάζεται σύνδεση.", "You need to sign in."),
    "forbidden": ("Δεν έχετε δικαίωμα για αυτή την ενέργεια.", "You are not allowed to do this."),
    "version-conflict": (
        "Κάποιος άλλος άλλαξε ήδη αυτό το στοιχείο. Ανανεώστε και δοκιμάστε ξανά.",
        "Someone else has changed this already. Refresh and try again.",
    ),
    "invalid-state": (
        "Η ενέργεια δεν επιτρέπεται σε αυτή την κατάσταση.",
        "This action is not allowed in the current state.",
    ),
    "idempotency-mismatch": (
        "Το κλειδί Idempotency-Key χρησιμοποιήθηκε ήδη για άλλο αίτημα.",
        "This Idempotency-Key was already used for a different request.",
    ),
    "too-many-requests": (
        "Πολλά αιτήματα. Δοκιμάστε ξανά αργότερα.",
        "Too many requests. Try again later.",
    ),
}

# Field messages by message code (the identifier validators' codes among them).
FIELD_MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("Συμπληρώστε αυτό το πεδίο.", "Fill in this field."),
    "too-long": (
        "Το κείμενο είναι πολύ μεγάλο (έως {max} χαρακτήρες).",
        "The text is too long (up to {max} characters).",
    ),
    "invalid-choice": (
        "Επιλέξτε μία από τις διαθέσιμες τιμές.",
        "Choose one of the listed values.",
    ),
    "invalid-type": ("Η τιμή δεν έχει τη σωστή μορφή.", "The value is not in the right form."),
    "unknown-field": ("Άγνωστο πεδίο.", "Unknown field."),
    "consent": (
        "Χρειάζεται η συγκατάθεσή σας για να επεξεργαστούμε το αίτημα.",
        "We need your consent to process the request.",
    ),
    "contact": (
        "Δώστε e-mail ή τηλέφωνο για να σας απαντήσουμε.",
        "Give an e-mail or a phone number so that we can answer you.",
    ),
    "amka.format": ("Ο ΑΜΚΑ έχει 11 ψηφία.", "The AMKA has 11 digits."),
    "amka.date": (
        "Τα 6 πρώτα ψηφία του ΑΜΚΑ είναι η ημερομηνία γέννησης (ΗΗΜΜΕΕ).",
        "The first 6 digits of the AMKA are the date of birth (DDMMYY).",
    ),
    "amka.check": (
        "Ο ΑΜΚΑ δεν είναι έγκυρος. Ελέγξτε τα ψηφία.",
        "The AMKA is not valid. Check the digits.",
    ),
    "afm.format": ("Ο ΑΦΜ έχει 9 ψηφία.", "The AFM (tax number) has 9 digits."),
    "afm.check": (
        "Ο ΑΦΜ δεν είναι έγκυρος. Ελέγξτε τα ψηφία.",
        "The AFM (tax number) is not valid. Check the digits.",
    ),
    "phone.format": (
        "Δώστε ελληνικό αριθμό: κινητό 69xxxxxxxx ή σταθερό 2xxxxxxxxx.",
        "Give a Greek number: mobile 69xxxxxxxx or landline 2xxxxxxxxx.",
    ),
    "phone.not_greek": (
        "Δεχόμαστε μόνο ελληνικούς αριθμούς (+30).",
        "Only Greek numbers (+30) are accepted.",
    ),
    "email.format": ("Η διεύθυνση e-mail δεν είναι έγκυρη.", "The e-mail address is not valid."),
    "unknown-agency": ("Άγνωστος φορέας.", "Unknown agency."),
    "unknown-topic": ("Άγνωστο θέμα για αυτόν τον φορέα.", "Unknown topic for this agency."),
    "unknown-team": ("Άγνωστη ομάδα σε αυτό το επίπεδο.", "Unknown team at this tier."),
    "not-in-team": (
        "Ο/Η υπάλληλος δεν ανήκει σε αυτή την ομάδα.",
        "The agent is not a member of this team.",
    ),
    "date": ("Δώστε ημερομηνία στη μορφή ΕΕΕΕ-ΜΜ-ΗΗ.", "Give a date as YYYY-MM-DD."),
    "datetime": (
        "Δώστε ώρα στη μορφή ISO 8601 με ζώνη ώρας.",
        "Give a time in ISO 8601 form with an offset.",
    ),
}


def language_of(accept_language: str | None) -> str:
    """Greek unless the caller prefers English."""
    if not accept_language:
        return "el"
    first = accept_language.split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "el"


def title(problem: str, language: str) -> str:
    el, en = TITLES.get(problem, TITLES["validation"])
    return en if language == "en" else el


def field_message(code: str, language: str, **params: object) -> str:
    el, en = FIELD_MESSAGES.get(code, FIELD_MESSAGES["invalid-type"])
    text = en if language == "en" else el
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text

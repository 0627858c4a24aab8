"""What the API says to people, in Greek (default) and English."""

from __future__ import annotations

# Problem titles by problem type.
TITLES: dict[str, tuple[str, str]] = {
    "validation": ("Τα στοιχεία που στείλατε δεν είναι έγκυρα.", "The data you sent is not valid."),
    "bad-request": ("Το αίτημα δεν είναι έγκυρο JSON.", "The request is not valid JSON."),
    "not-found": ("Δεν βρέθηκε.", "Not found."),
    "no-route": ("Η διεύθυνση δεν υπάρχει στο API.", "There is no such address in the API."),
    "too-large": ("Το αίτημα είναι πολύ μεγάλο.", "The request is too large."),
    "method-not-allowed": (
        "Η ενέργεια δεν υποστηρίζεται σε αυτή τη διεύθυνση.",
        "This method is not supported at this address.",
    ),
    "unsupported-media-type": (
        "Ο τύπος του περιεχομένου δεν υποστηρίζεται. Στείλτε JSON.",
        "This content type is not supported. Send JSON.",
    ),
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
    "store-busy": (
        "Πολλοί πολίτες ζητούν το ίδιο αυτή τη στιγμή. Δοκιμάστε ξανά σε λίγο.",
        "Many citizens are asking for the same thing right now. Try again in a moment.",
    ),
    "not-yet-due": (
        "Η ημερομηνία που σας υποσχεθήκαμε δεν έχει περάσει ακόμη· "
        "μπορείτε να ρωτήσετε για την πορεία από την επόμενη μέρα.",
        "The date we promised has not passed yet; you can ask what is happening from the day "
        "after it.",
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
    "too-deep": (
        "Τα δεδομένα είναι φωλιασμένα πολύ βαθιά.",
        "The data is nested too deeply.",
    ),
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
    "agent-id": (
        "Δώστε το όνομα χρήστη του/της υπαλλήλου (έως 128 γράμματα, ψηφία, . _ @ + -).",
        "The id is the agent's user name (up to 128 letters, digits, . _ @ + -).",
    ),
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
    # Callbacks and the single view of a citizen.
    "window-start": (
        "Δώστε την αρχή ενός διαστήματος (ISO 8601 με ζώνη ώρας) ή asap.",
        "Give the start of a window (ISO 8601 with an offset) or asap.",
    ),
    "window-past": ("Αυτό το διάστημα έχει ήδη αρχίσει.", "This window has already begun."),
    "not-a-window": (
        "Δεν είναι διάστημα κλήσεων αυτού του φορέα. Επιλέξτε ένα από τη λίστα.",
        "This is not a callback window of this agency. Choose one from the list.",
    ),
    "window-too-far": (
        "Δεν μπορείτε να κλείσετε κλήση για τόσο μακρινή ημερομηνία.",
        "You cannot book a callback that far ahead.",
    ),
    "no-callbacks": (
        "Ο φορέας δεν κάνει επιστροφή κλήσεων.",
        "This agency does not make callbacks.",
    ),
    "unknown-case": (
        "Δεν βρέθηκε αίτημα με αυτόν τον αριθμό και αυτό το κλειδί παρακολούθησης.",
        "No request with this reference and tracking token was found.",
    ),
    "case-of-another-agency": (
        "Το αίτημα ανήκει σε άλλον φορέα.",
        "The request belongs to another agency.",
    ),
    "callback-not-reached": (
        "Το αίτημα κλείνει ή κλιμακώνεται μόνο όταν βρεθεί ο πολίτης.",
        "The request can be resolved or escalated only when the citizen was reached.",
    ),
    "no-linked-case": (
        "Η κλήση δεν συνδέεται με αίτημα.",
        "The callback is not linked to a request.",
    ),
    "one-identifier": (
        "Δώστε ένα από ΑΜΚΑ, ΑΦΜ, τηλέφωνο ή e-mail.",
        "Give one of AMKA, AFM, phone or e-mail.",
    ),
    "month": ("Δώστε μήνα στη μορφή ΕΕΕΕ-ΜΜ.", "Give a month as YYYY-MM."),
    # Appointments.
    "unknown-service": ("Άγνωστη υπηρεσία.", "Unknown service."),
    "unknown-branch": ("Άγνωστο κατάστημα.", "Unknown branch."),
    "service-not-offered": (
        "Το κατάστημα δεν εξυπηρετεί αυτή την υπηρεσία.",
        "This branch does not offer this service.",
    ),
    "mode-not-offered": (
        "Η υπηρεσία δεν προσφέρεται έτσι σε αυτό το κατάστημα (δια ζώσης ή με βιντεοκλήση).",
        "The service is not offered this way at this branch (in person or by video).",
    ),
    "accommodation-not-offered": (
        "Το κατάστημα δεν μπορεί να σας εξυπηρετήσει με αυτή τη διευκόλυνση. Επιλέξτε άλλο.",
        "This branch cannot provide this accommodation. Choose another branch.",
    ),
    "slot-past": ("Η ώρα αυτή έχει ήδη περάσει.", "This time has already passed."),
    "slot-not-a-boundary": (
        "Δεν είναι ώρα έναρξης ραντεβού. Επιλέξτε μία από τις διαθέσιμες ώρες.",
        "This is not an appointment start time. Choose one of the available times.",
    ),
    "slot-closed-day": (
        "Το κατάστημα είναι κλειστό αυτή την ημέρα.",
        "The branch is closed on this day.",
    ),
    "slot-too-soon": (
        "Είναι πολύ αργά για να κλείσετε αυτή την ώρα. Επιλέξτε μεταγενέστερη.",
        "It is too late to book this time. Choose a later one.",
    ),
    "slot-beyond-horizon": (
        "Τα ραντεβού ανοίγουν έως {days} ημέρες πριν.",
        "Appointments open up to {days} days ahead.",
    ),
    "slot-same": (
        "Το ραντεβού είναι ήδη σε αυτή την ώρα.",
        "The appointment is already at this time.",
    ),
    "range-reversed": (
        "Η ημερομηνία λήξης είναι πριν από την ημερομηνία έναρξης.",
        "The end date is before the start date.",
    ),
    "range-too-long": (
        "Ζητήστε έως {max} ημέρες κάθε φορά.",
        "Ask for up to {max} days at a time.",
    ),
    "waitlist-longer-slot": (
        "Η λίστα αναμονής δεν δέχεται ραντεβού διπλής διάρκειας. Καλέστε το 1555.",
        "The waitlist cannot hold a double-length appointment. Please call 1555.",
    ),
    "waitlist-day-outside-horizon": (
        "Δεν υπάρχει λίστα αναμονής για αυτή την ημέρα.",
        "There is no waitlist for this day.",
    ),
    "not-closed": (
        "Το κατάστημα δεν είναι κλειστό αυτή την ημέρα.",
        "The branch is not closed on that day.",
    ),
    "hours": (
        "Δώστε ώρες ΩΩ:ΛΛ, με τη σειρά και χωρίς επικαλύψεις.",
        "Give times as HH:MM, in order and without overlaps.",
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

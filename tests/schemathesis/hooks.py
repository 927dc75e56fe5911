"""What no schema can say, marked so the run does not count it.

`positive_data_acceptance` is replaced by the same check (schemathesis' own
function) that excuses one thing: a 400 to schema-valid data whose every
complaint is listed below for that operation. Each entry says why no schema
can express the rule. Nothing else is excused.
"""

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance as builtin

FILE_CONTENTS = "the file's bytes: its format, pixel size, duration or speech"
TENANT_DATA = "ids of the caller's tenant's reference data (and its users)"
TODAY = "dates against today or each other (birth not in the future, joining after birth)"
STATE = "consent is required on the first sample of an enrollment only"
PER_MEDIA_TYPE = "content type and size limit depend on media_type"

# operationId -> {field named in `errors` (or "*" for an `{"error": ...}` answer): why}
BEYOND_SCHEMA = {
    "updateProfile": {
        **{f: TENANT_DATA for f in ("location", "department", "designation", "bu", "reportto")},
        **{f: TODAY for f in ("dateofbirth", "dateofjoin", "dateofreport")},
    },
    "uploadProfileImage": {"*": FILE_CONTENTS, "image": FILE_CONTENTS},
    "addJournalMedia": {"*": FILE_CONTENTS, "file": FILE_CONTENTS, "duration": FILE_CONTENTS},
    "requestJournalMediaUpload": {"*": PER_MEDIA_TYPE},
    "enrollVoiceSample": {"*": FILE_CONTENTS, "audio": FILE_CONTENTS, "consent_given": STATE},
    "verifyVoice": {"*": FILE_CONTENTS, "audio": FILE_CONTENTS},
    "speakOnboardingAnswer": {"*": FILE_CONTENTS, "audio": FILE_CONTENTS},
}
BEYOND_SCHEMA["listJournalEntries"] = {"cursor": "a cursor is valid only if this API issued it"}
BEYOND_SCHEMA["updateProfileAlias"] = BEYOND_SCHEMA["updateProfile"]


def _complaints(response):
    try:
        body = response.json()
    except Exception:
        return None
    if not isinstance(body, dict):
        return None
    if isinstance(body.get("errors"), dict) and body["errors"]:
        return set(body["errors"])
    if "error" in body:
        return {"*"}
    return None


# A 422 to an Idempotency-Key the run already sent with another body: whether
# a key is still free is state, not something a request schema can say.
KEY_REUSED = "This Idempotency-Key was already used for a different request."


def _key_reused(response, case):
    sent_key = any(k.lower() == "idempotency-key" for k in (case.headers or {}))
    if response.status_code != 422 or not sent_key:
        return False
    try:
        return str(response.json().get("error", "")).startswith(KEY_REUSED)
    except Exception:
        return False


@schemathesis.check
def positive_data_acceptance_beyond_schema(ctx, response, case):
    if _key_reused(response, case):
        return None
    marked = BEYOND_SCHEMA.get(case.operation.definition.raw.get("operationId"), {})
    if response.status_code == 400 and marked:
        complaints = _complaints(response)
        if complaints and complaints <= set(marked):
            return None
    return builtin(ctx, response, case)

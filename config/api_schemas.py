"""Response schemas of the API's error answers, shared by every router.

They document in the OpenAPI document what the routes and the handlers in
config/api.py already answer, so a client (and the schemathesis fuzz test,
tests/api/test_fuzz_api.py) can check every response against the document.
"""

from ninja import Schema


class Detail(Schema):
    """400 (a body that is not JSON), 401 (no or bad credentials), 403 (session without CSRF token or
    a user in no role), 404, 405, 413 (body too large), 415 (a body that is not application/json), 500."""

    detail: str


class FieldError(Schema):
    field: str
    message: str
    type: str | None = None
    # the message's structured form (config/api_messages.py), where the engine wrote it as a message
    message_message: dict | None = None


class Invalid(Schema):
    """409 and 422: what was refused and why, one entry per offending field."""

    detail: str
    errors: list[FieldError]


# Every route with a body answers these besides its own codes: the media type, the size,
# authentication and validation are checked before the view runs.
ERRORS = {400: Detail, 401: Detail, 403: Detail, 413: Detail, 415: Detail, 422: Invalid}

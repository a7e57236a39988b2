"""Why the dose engine gives no schedule: every error names the offending input or protocol field."""


class DosingError(Exception):
    """Why no schedule could be calculated; ``field`` names the offending input or protocol field.
    ``code`` and ``params`` (optional) say it again as data, for a page to word it in the reader's
    language (regimens/refusals.py); ``message`` is the engine's English."""

    def __init__(self, field: str, message: str, *, code: str = "", params: dict | None = None):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code
        self.params = dict(params or {})


class InvalidInput(DosingError):
    """A patient value or argument that is impossible (negative, zero, not a number, unknown)."""


class MissingInput(DosingError):
    """A value the protocol needs for this patient is not known; the engine never guesses it."""


class ProtocolNotDosable(DosingError):
    """A draft protocol, a line without dose or basis, or a schedule the engine cannot read unambiguously."""


class DoseRefused(DosingError):
    """A calculated dose the protocol does not allow: above the maximum single dose, a rounding that
    moves it further than the limit allows (code ``rounding_too_coarse``), or a dose to give more
    than 10 % above the protocol's per-unit dose (code ``per_unit_above_protocol``)."""

"""Why the dose engine gives no schedule: every error names the offending input or protocol field."""


class DosingError(Exception):
    """Why no schedule could be calculated; ``field`` names the offending input or protocol field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidInput(DosingError):
    """A patient value or argument that is impossible (negative, zero, not a number, unknown)."""


class MissingInput(DosingError):
    """A value the protocol needs for this patient is not known; the engine never guesses it."""


class ProtocolNotDosable(DosingError):
    """A draft protocol, a line without dose or basis, or a schedule the engine cannot read unambiguously."""


class DoseRefused(DosingError):
    """A calculated dose the protocol does not allow: above the maximum single dose, or rounding too far."""

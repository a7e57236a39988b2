"""Assessment endpoints of the API: evaluate and response (filled in by the guideline engine)."""

from ninja import Router

router = Router(tags=["assessment"])

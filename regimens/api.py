"""Regimen library and dosing endpoints of the API (filled in by the regimen library)."""

from ninja import Router

router = Router(tags=["regimens"])

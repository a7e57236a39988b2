"""Regimen protocols in the database: the library as edited in the admin.

The structure mirrors regimens/schema.py (the YAML format); ``to_schema()``
turns a stored protocol into a ``schema.Protocol`` so the admin, the loader,
the API and the dose engine share one validation. Every model keeps its full
change history (django-simple-history).

Only a draft can be changed (issue 10, hazard HAZ-020). The rule lives here, below
every path that writes (admin, actions, loader, shell), not in the admin alone:

- a protocol version is born a draft; its status moves only draft → active → retired
  (or draft → retired: a draft given up). A retired version never becomes active again:
  using an older version again means a new draft copied from it, checked and activated
  by a second pharmacist (regimens/actions.py).
- an active or retired version's row is frozen except for that one status step
  (``Protocol.save`` compares every field with the stored row and refuses any other change);
- its phases, drug lines and dose rules are frozen outright: their ``save`` and ``delete``,
  and the ``update``/``delete``/``bulk_create``/``bulk_update`` of their querysets, refuse
  when the protocol they belong (or belonged) to is not a draft; so do ``update`` and
  ``delete`` of the protocol queryset on a non-draft row.

The check locks the protocol row (``select_for_update``) so an edit and an activation
running at once are serialised. Raw SQL and ``Model._base_manager`` are below this
guard, as they are below every model rule; nothing in the app uses them for the library.

By topic: ``protocol`` (the version, its rule and queries), ``parts`` (phases, drug lines, dose
rules). Import from here: ``from regimens.models import Protocol``.
"""

from regimens.models.parts import DoseRule, DrugLine, Phase, ProtocolPart, ProtocolPartQuerySet
from regimens.models.protocol import (
    ACTIVE,
    DRAFT,
    RETIRED,
    STATUS_STEPS,
    Protocol,
    ProtocolInvalid,
    ProtocolLocked,
    ProtocolQuerySet,
)

__all__ = [
    "ACTIVE", "DRAFT", "RETIRED", "STATUS_STEPS", "DoseRule", "DrugLine", "Phase", "Protocol", "ProtocolInvalid",
    "ProtocolLocked", "ProtocolPart", "ProtocolPartQuerySet", "ProtocolQuerySet",
]

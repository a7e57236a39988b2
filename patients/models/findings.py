"""Dated findings that call for radiotherapy or surgery, and the organ function CAR-T asks for
(contract v1.1 ``emergency`` and ``car_t``; Handlingsprogram, «Strålebehandling», «Kirurgisk
behandling», «Komorbiditet og organfunksjon»). Blank = not assessed, never "no"."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from patients.models.common import change_log
from patients.models.observations import Observation


class SkeletalFindings(Observation):
    """A clinical finding of the skeleton or a space-occupying process on one day (a physician's judgement):
    what «Situasjoner hvor strålebehandling, kirurgisk behandling og kjemoterapi vurderes» reads."""

    spinal_cord_compression = models.BooleanField(
        _("threatened spinal cord compression"), null=True, blank=True,
        help_text=_("Suspected or confirmed: a medical emergency."))
    painful_lesion = models.BooleanField(_("painful skeletal lesion"), null=True, blank=True)
    fracture = models.BooleanField(_("fracture"), null=True, blank=True)
    impending_fracture = models.BooleanField(_("impending fracture"), null=True, blank=True)
    postoperative = models.BooleanField(_("after fracture surgery"), null=True, blank=True)
    space_occupying = models.BooleanField(
        _("other space-occupying process threatening vital structures"), null=True, blank=True,
        help_text=_("E.g. compression of bile or urinary tract or cranial nerves, protrusion of the orbit."))
    history = change_log()

    FINDINGS = ("spinal_cord_compression", "painful_lesion", "fracture", "impending_fracture", "postoperative",
                "space_occupying")

    class Meta(Observation.Meta):
        verbose_name = _("skeletal and emergency findings")
        verbose_name_plural = _("skeletal and emergency findings")


class OrganFunction(Observation):
    """Organ function and comorbidity for the CAR-T prioritisation («Komorbiditet og organfunksjon»)."""

    lvef_pct = models.DecimalField(
        _("LVEF (%)"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(100)], help_text=_("Echocardiography."))
    spo2_room_air_pct = models.DecimalField(
        _("oxygen saturation on room air (%)"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(100)])
    liver_cirrhosis = models.BooleanField(_("liver cirrhosis"), null=True, blank=True)
    serious_comorbidity = models.BooleanField(_("other serious comorbidity"), null=True, blank=True)
    al_amyloidosis = models.BooleanField(_("AL amyloidosis"), null=True, blank=True)
    history = change_log()

    FINDINGS = ("lvef_pct", "spo2_room_air_pct", "liver_cirrhosis", "serious_comorbidity", "al_amyloidosis")

    class Meta(Observation.Meta):
        verbose_name = _("organ function and comorbidity (CAR-T)")
        verbose_name_plural = _("organ function and comorbidity (CAR-T)")

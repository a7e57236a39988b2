"""Who may do what: the one place where the four roles get their permissions.

| role        | may                                                                    |
|-------------|------------------------------------------------------------------------|
| physician   | see patients, register patients, record observations, treatment lines and  |
|             | clinical status, issue plans, print                                        |
| nurse       | see patients, record observations (height, weight, labs), print verified plans |
| pharmacist  | see patients, verify plans, print, edit protocols and activate them (admin) |
| admin       | everything above, plus users and groups (Django admin)                   |

`sync_role_groups` runs after every `migrate`, so the groups in any database
match this table. A permission named here that does not exist is an error,
never silently skipped.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

PHYSICIAN = "physician"
NURSE = "nurse"
PHARMACIST = "pharmacist"
ADMIN = "admin"
ROLES = (PHYSICIAN, NURSE, PHARMACIST, ADMIN)
ROLE_LABELS = {PHYSICIAN: _("Physician"), NURSE: _("Nurse"), PHARMACIST: _("Pharmacist"), ADMIN: _("Administrator")}

# Custom permissions (declared on patients.ClinicalRights).
VIEW_PATIENTS = "patients.view_patients"
REGISTER_PATIENT = "patients.register_patient"
RECORD_OBSERVATIONS = "patients.record_observations"
RECORD_CLINICAL_ASSESSMENT = "patients.record_clinical_assessment"
ISSUE_PLAN = "patients.issue_plan"
VERIFY_PLAN = "patients.verify_plan"
PRINT_PLAN = "patients.print_plan"
EDIT_PROTOCOLS = "patients.edit_protocols"
ACTIVATE_PROTOCOL = "patients.activate_protocol"
ADMINISTER = "patients.administer"
RECORD_ADMINISTRATION = "treatment_course.record_administration"

# Names stored in English (the permission table); the admin shows them translated (accounts/admin.py).
CUSTOM_PERMISSIONS = [
    ("view_patients", gettext_noop("Can see patient records and assessments")),
    ("register_patient", gettext_noop("Can register a patient")),
    ("record_observations", gettext_noop("Can record height, weight, labs and findings")),
    ("record_clinical_assessment",
     gettext_noop("Can record treatment lines and clinical status (frailty, contraindications)")),
    ("issue_plan", gettext_noop("Can issue (sign) a treatment plan")),
    ("verify_plan", gettext_noop("Can verify an issued treatment plan")),
    ("print_plan", gettext_noop("Can print a verified treatment plan")),
    ("edit_protocols", gettext_noop("Can edit regimen protocols (drafts)")),
    ("activate_protocol", gettext_noop("Can activate or retire a regimen protocol")),
    ("administer", gettext_noop("Can administer users and settings")),
]

ROLE_PERMISSIONS = {
    PHYSICIAN: {
        VIEW_PATIENTS, REGISTER_PATIENT, RECORD_OBSERVATIONS, RECORD_CLINICAL_ASSESSMENT, ISSUE_PLAN, PRINT_PLAN,
    },
    NURSE: {VIEW_PATIENTS, RECORD_OBSERVATIONS, PRINT_PLAN, RECORD_ADMINISTRATION},
    PHARMACIST: {VIEW_PATIENTS, VERIFY_PLAN, PRINT_PLAN, EDIT_PROTOCOLS, ACTIVATE_PROTOCOL},
    ADMIN: {
        VIEW_PATIENTS, REGISTER_PATIENT, RECORD_OBSERVATIONS, RECORD_CLINICAL_ASSESSMENT, ISSUE_PLAN, VERIFY_PLAN,
        PRINT_PLAN, EDIT_PROTOCOLS, ACTIVATE_PROTOCOL, ADMINISTER, RECORD_ADMINISTRATION,
    },
}

# Model permissions the Django admin needs, per role: app label -> actions on every
# model of that app (history models included).
ROLE_MODEL_PERMISSIONS = {
    PHYSICIAN: {"regimens": ("view",)},
    NURSE: {"regimens": ("view",)},
    PHARMACIST: {"regimens": ("add", "change", "view")},
    ADMIN: {"regimens": ("add", "change", "view"), "auth": ("add", "change", "view")},
}

# Roles that may open the Django admin at all.
STAFF_ROLES = {PHARMACIST, ADMIN}


def _custom_permission(dotted):
    app_label, codename = dotted.split(".", 1)
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist as exc:
        raise ImproperlyConfigured(f"Role permission {dotted!r} does not exist") from exc


def permissions_for(role):
    perms = [_custom_permission(p) for p in sorted(ROLE_PERMISSIONS[role])]
    for app_label, actions in ROLE_MODEL_PERMISSIONS.get(role, {}).items():
        perms.extend(
            Permission.objects.filter(
                content_type__app_label=app_label,
                codename__regex=r"^({})_".format("|".join(actions)),
            )
        )
    return perms


def sync_role_groups(sender=None, **kwargs):
    """post_migrate hook. Runs once the last installed app has migrated, when every
    app's model permissions exist (a fresh database creates them app by app)."""
    from django.apps import apps

    if sender is not None and sender is not list(apps.get_app_configs())[-1]:
        return
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(permissions_for(role))


ROLE_NAMES_CACHE = "_myelopath_role_names"  # on the user object, like ModelBackend's _perm_cache


def role_names(user):
    """The names of the user's roles (groups), alphabetically: read once per user object, so
    once per request (every page shows them in the navbar), as ModelBackend reads permissions.
    A change of role counts from the next request."""
    if not user.is_authenticated:
        return ()
    names = getattr(user, ROLE_NAMES_CACHE, None)
    if names is None:
        names = tuple(user.groups.order_by("name").values_list("name", flat=True))
        setattr(user, ROLE_NAMES_CACHE, names)
    return names


def role_labels(user):
    """The user's roles in the reader's language, for display."""
    return [ROLE_LABELS.get(name, name) for name in role_names(user)]

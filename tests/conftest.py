"""Named personas shared by the whole suite: one user per role (accounts/roles.py)."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from tests.personas import PASSWORD, verify_second_factor


def pytest_configure(config):
    """Tests (and the live server of the browser tests) render pages without running
    collectstatic: plain storage, files found by the finders. The manifest storage
    behind WhiteNoise is checked by test_static_assets_are_served_with_debug_off."""
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True
    # Like django-axes, the signing second factor is switched on only in the tests about it
    # (tests/patients/test_plan_second_factor.py) and in the browser walk; elsewhere the
    # personas sign with their password, so each test need not step a TOTP clock.
    settings.SIGNING_REQUIRES_SECOND_FACTOR = False


def _make_user(django_user_model, username, role, first, last):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last,
        is_staff=role in roles.STAFF_ROLES, is_superuser=False,
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def physician(db, django_user_model):
    return _make_user(django_user_model, "dr_hansen", roles.PHYSICIAN, "Kari", "Hansen")


@pytest.fixture
def second_physician(db, django_user_model):
    return _make_user(django_user_model, "dr_berg", roles.PHYSICIAN, "Ola", "Berg")


@pytest.fixture
def nurse(db, django_user_model):
    return _make_user(django_user_model, "spl_nilsen", roles.NURSE, "Ida", "Nilsen")


@pytest.fixture
def second_nurse(db, django_user_model):
    """Another nurse: confirms a parenteral anticancer drug another nurse recorded (issue 15 item 4)."""
    return _make_user(django_user_model, "spl_moe", roles.NURSE, "Siri", "Moe")


@pytest.fixture
def pharmacist(db, django_user_model):
    return _make_user(django_user_model, "farm_lie", roles.PHARMACIST, "Per", "Lie")


@pytest.fixture
def admin_user(db, django_user_model):
    return _make_user(django_user_model, "it_admin", roles.ADMIN, "Tor", "Admin")


@pytest.fixture
def client_for(client):
    """Log the test client in as a persona, second factor included: ``client_for(physician)``."""

    def login(user):
        client.force_login(user)
        verify_second_factor(client, user)
        return client

    return login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (the navbar's worklist counts are cached per user id, and ids
    repeat from test to test)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _axes_off_unless_asked(settings, request):
    """django-axes needs the request in authenticate(), which client.login() does not
    pass. Lockout is on in production and in the tests marked ``axes``."""
    settings.AXES_ENABLED = "axes" in request.keywords


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the app's default language (nb), whatever an earlier test in the same
    worker left active: a test that reads English messages says so (``english`` fixture or
    ``translation.override("en")``)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def english():
    """Read the app's messages in English (their source text) for this test."""
    from django.utils import translation

    with translation.override("en"):
        yield

"""API tests run the real guideline engine (treatment and supportive rules included)."""

import pytest


@pytest.fixture(scope="session")
def api_server(django_db_setup, django_db_blocker):
    """A live server of its own, started after the test database exists.

    pytest-django's ``live_server`` hands the in-memory SQLite connection to the
    server thread only when the test database is already set up when the server
    starts; otherwise every request thread opens its own connection, which Django
    never closes for an in-memory database (ResourceWarning, an error here)."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("127.0.0.1")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()

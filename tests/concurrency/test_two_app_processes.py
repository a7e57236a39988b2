"""Concurrency with real processes: two gunicorn app servers (2 workers each) on loopback ports
against ONE database, PostgreSQL or an SQLite file (hazard HAZ-015, lost update; HAZ-035, a
write refused by a locked SQLite database).

Each scenario runs once per backend (the ``database`` fixture's parameter):
- PostgreSQL (marker postgres; CI's second run, scripts/with_postgres.sh, `make test-fast`):
  pytest's test database lives in a transaction other processes cannot see, so the test creates
  a database of its own on the same server and drops it at the end;
- SQLite (the default database, so `make test`; skipped in the PostgreSQL run): a file in the
  test's scratch directory, with the app's own settings (WAL, busy timeout, BEGIN IMMEDIATE:
  docs/adr/0009-sqlite-for-a-ward.md).
The test migrates and seeds that database in a separate process (tests/concurrency/seed.py),
starts the two servers on it, fires simultaneous requests from threads (a barrier releases them
together) and reads the outcome with SQL. Every request goes to 127.0.0.1; the servers are
stopped at the end. Bounded: about a hundred requests, every wait has a timeout.

Scenarios:
- N lab results entered at once for one patient through both servers: all N stored;
- two physicians correct the same treatment line from the same loaded page: exactly one change is
  stored, the other gets the stale-edit message;
- two pharmacists verify the same issued plan at once: exactly one signature;
- two physicians revise the same verified plan at once: exactly one revision; then both issue that
  revision at once: it is issued once and the old version superseded once;
- eight users write at once, each ``ROUNDS`` times (lab results, height and weight, edits of one
  treatment line by two physicians, issuing and verifying plans): no HTTP 500, every write stored
  or refused with the stale-edit message. The test prints writers, requests, seconds and errors.
"""

import datetime
import http.client
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.concurrency.seed import PASSWORD, ROUNDS

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
LABS = 12  # lab results entered at once, half through each server
STEP_TIMEOUT = 120  # seconds for any one step (migrate, server start, a batch of requests)

pytestmark = [
    pytest.mark.hazard("HAZ-015"),
    pytest.mark.hazard("HAZ-035"),
    pytest.mark.xdist_group("two-app-processes"),  # one database and one pair of servers (--dist loadgroup)
]

BACKENDS = [
    pytest.param("postgresql", id="postgresql", marks=[
        pytest.mark.postgres,
        pytest.mark.skipif(not ON_POSTGRES,
                           reason="needs PostgreSQL: DATABASE_URL=postgres://... (scripts/with_postgres.sh)"),
    ]),
    pytest.param("sqlite", id="sqlite", marks=[
        pytest.mark.skipif(ON_POSTGRES, reason="the SQLite run of the suite (make test) covers SQLite"),
    ]),
]


# --- the database -------------------------------------------------------------------


def _connect(url, dbname):
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(url)
    params = {"host": cfg.get("HOST") or None, "port": cfg.get("PORT") or None, "user": cfg.get("USER") or None,
              "password": cfg.get("PASSWORD") or None, **cfg.get("OPTIONS", {})}
    return psycopg.connect(dbname=dbname, autocommit=True, **{k: v for k, v in params.items() if v is not None})


def _with_dbname(url, name):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("concurrency")


@pytest.fixture(scope="module", params=BACKENDS)
def database(request, workdir):
    """The URL of an empty database for the app servers: an SQLite file, or a PostgreSQL database
    created on the suite's server and dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{workdir / 'ward.sqlite3'}"
        return
    name = f"myelopath_concurrency_{secrets.token_hex(4)}"
    with _connect(DATABASE_URL, "postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_dbname(DATABASE_URL, name)
    try:
        yield url
    finally:
        with _connect(DATABASE_URL, "postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(url, workdir):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.concurrency.settings",
           "SECRET_KEY": secrets.token_urlsafe(40), "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1",
           "CONCURRENCY_WORKDIR": str(workdir), "LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT)}
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


@pytest.fixture(scope="module")
def seeded(database, workdir):
    env = _env(database, workdir)
    _run_step([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env, STEP_TIMEOUT * 2)
    code = "import django; django.setup(); from tests.concurrency.seed import main; main()"
    done = _run_step([sys.executable, "-c", code], env, STEP_TIMEOUT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _run_step(command, env, timeout):
    """Run one set-up step in its own process; on failure, fail the test with that process's output."""
    done = subprocess.run(command, cwd=ROOT, env=env, timeout=timeout, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command[:3])} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def servers(database, seeded, workdir):
    """Two gunicorn processes, 2 workers each, on the same database: their base URLs."""
    env = _env(database, workdir)
    started = []
    try:
        for _ in range(2):
            port = _free_port()
            log = open(workdir / f"gunicorn-{port}.log", "wb")  # noqa: SIM115 - closed below
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", "2", "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
            started.append((process, port, log))
        for process, port, _log in started:
            _wait_until_up(process, port)
        yield [port for _process, port, _log in started]
    finally:
        for process, _port, log in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=15)
            log.close()


def _wait_until_up(process, port):
    deadline = time.monotonic() + STEP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            if Browser(port).get("/login/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"gunicorn on port {port} did not answer within {STEP_TIMEOUT} s")


def _sql(url, query, *params):
    """Rows of ``query`` (placeholders ``%s``) read straight from the servers' database."""
    if url.startswith("sqlite:"):
        import environ

        with closing(sqlite3.connect(environ.Env.db_url_config(url)["NAME"], timeout=STEP_TIMEOUT)) as conn:
            return conn.execute(query.replace("%s", "?"), params).fetchall()
    with _connect(url, urllib.parse.urlsplit(url).path.lstrip("/")) as conn:
        return conn.execute(query, params).fetchall()


# --- an HTTP client with cookies, on 127.0.0.1 only ------------------------------------


class Browser:
    """One user's session against one server (cookies kept, redirects not followed), whose user
    chose English (the language cookie): the tests read the English messages."""

    def __init__(self, port):
        self.port = port
        self.cookies = {"django_language": "en"}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(header).items():
                    self.cookies[key] = morsel.value
            return response.status, text, response.getheader("Location") or ""
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form, page=None):
        """POST ``form`` with the CSRF token of ``page`` (the HTML the user had loaded)."""
        page = page if page is not None else self.get(path)[1]
        return self.request("POST", path, {**form, "csrfmiddlewaretoken": _hidden(page, "csrfmiddlewaretoken")})

    def login(self, username):
        status, text, location = self.post("/login/", {"username": username, "password": PASSWORD,
                                                       "otp_token": ""})
        assert status == 302 and "/login/" not in location, f"login of {username} failed: {status}"
        return self


def _hidden(page, name):
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page)
    assert match, f"no {name} on the page"
    return match.group(1)


def _all_values(page, name):
    return re.findall(rf'name="{name}"[^>]*value="([^"]*)"', page)


def _together(*calls):
    """Run the calls in threads released at the same moment; their results in order."""
    barrier = threading.Barrier(len(calls), timeout=STEP_TIMEOUT)

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result(timeout=STEP_TIMEOUT) for future in futures]


STALE = "since you opened it"


# --- the scenarios ---------------------------------------------------------------------


def test_simultaneous_lab_entries_are_all_stored(servers, seeded, database):
    patient = seeded["patient"]
    path = f"/patients/{patient}/record/lab/"
    today = datetime.date.today().isoformat()
    values = [f"{100 + i}" for i in range(LABS)]
    nurses = [Browser(servers[i % 2]).login("spl_a") for i in range(LABS)]
    pages = [nurse.get(path)[1] for nurse in nurses]
    results = _together(*[
        (lambda nurse=nurse, page=page, value=value: nurse.post(
            path, {"date": today, "analyte": "creatinine", "value": value},
            page=page))
        for nurse, page, value in zip(nurses, pages, values, strict=True)
    ])
    assert [status for status, _text, _loc in results] == [302] * LABS, [r[1][:500] for r in results if r[0] != 302]
    stored = _sql(database, "SELECT value FROM patients_labresult WHERE patient_id = %s AND analyte = 'creatinine'"
                            " AND value >= 100", patient)
    assert sorted(int(v) for (v,) in stored) == sorted(int(v) for v in values)
    logged = _sql(database, "SELECT count(*) FROM patients_historicallabresult WHERE patient_id = %s AND value >= 100"
                            " AND history_user_id IS NOT NULL", patient)
    assert logged == [(LABS,)]


def test_two_edits_of_one_treatment_line_from_the_same_page(servers, seeded, database):
    patient, line = seeded["patient"], seeded["line"]
    path = f"/patients/{patient}/treatment-lines/{line}/"
    a, b = Browser(servers[0]).login("lege_a"), Browser(servers[1]).login("lege_b")
    page_a, page_b = a.get(path)[1], b.get(path)[1]
    assert _hidden(page_a, "lock_version") == _hidden(page_b, "lock_version")

    def edit(browser, page, response, reason):
        return lambda: browser.post(path, _line_form(page, response, reason), page=page)

    results = _together(edit(a, page_a, "CR", "IF negative"), edit(b, page_b, "PD", "Progression"))
    statuses = sorted(status for status, _text, _loc in results)
    assert statuses == [200, 302], statuses
    refused = next(text for status, text, _loc in results if status == 200)
    assert STALE in refused and "changed by " in refused
    winner = "CR" if results[0][0] == 302 else "PD"
    assert _sql(database, "SELECT best_response, lock_version FROM patients_treatmentline WHERE id = %s", line) == [
        (winner, 2)]
    reasons = _sql(database, "SELECT history_change_reason FROM patients_historicaltreatmentline WHERE id = %s"
                             " AND history_type = '~'", line)
    assert len(reasons) == 1


def _line_form(page, response, reason):
    """The correction of treatment line 1 (VRd) to ``response``, from the edit page ``page``."""
    return {"line": "1", "regimen": "VRd-induction", "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
            "start_date": _hidden(page, "start_date"), "best_response": response, "reason": reason,
            "lock_version": _hidden(page, "lock_version")}


def _verify_form(page):
    """A pharmacist's verification (every check ticked) of the plan shown on ``page``."""
    checks = ("check_identity", "check_measurements", "check_doses", "check_flags", "check_premedication")
    return {**dict.fromkeys(checks, "on"), "password": PASSWORD, "fingerprint": _hidden(page, "fingerprint"),
            "lock_version": _hidden(page, "lock_version")}


def _issue_form(page):
    """A physician's signature of the draft shown on ``page``, every flag acknowledged."""
    return {"password": PASSWORD, "fingerprint": _hidden(page, "fingerprint"),
            "acknowledged_flags": _all_values(page, "acknowledged_flags"),
            "lock_version": _hidden(page, "lock_version")}


def _plan_path(seeded, plan, patient=None):
    return f"/patients/{patient or seeded['patient']}/plans/{plan}/"


def test_two_pharmacists_verify_the_same_plan_once(servers, seeded, database):
    plan = seeded["to_verify"]
    a, b = Browser(servers[0]).login("farm_a"), Browser(servers[1]).login("farm_b")
    page_a, page_b = a.get(_plan_path(seeded, plan))[1], b.get(_plan_path(seeded, plan))[1]

    def verify(browser, page):
        return lambda: browser.post(_plan_path(seeded, plan) + "verify/", _verify_form(page), page=page)

    results = _together(verify(a, page_a), verify(b, page_b))
    statuses = sorted(status for status, _text, _loc in results)
    assert statuses == [302, 422], statuses
    assert STALE in next(text for status, text, _loc in results if status == 422)
    rows = _sql(database, "SELECT status, verified_by_id FROM patients_treatmentplan WHERE id = %s", plan)
    assert rows[0][0] == "verified" and rows[0][1] is not None
    signatures = _sql(database, "SELECT count(*) FROM patients_historicaltreatmentplan WHERE id = %s"
                                " AND history_change_reason = 'Verified'", plan)
    assert signatures == [(1,)]


def test_concurrent_revision_and_issue_of_the_revision(servers, seeded, database):
    plan = seeded["to_revise"]
    a, b = Browser(servers[0]).login("lege_a"), Browser(servers[1]).login("lege_b")
    revise = _plan_path(seeded, plan) + "revise/"
    page_a, page_b = a.get(revise)[1], b.get(revise)[1]
    start = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()

    def revision(browser, page, reason):
        form = {"start_date": start, "cycles": "1", "bsa_formula": "mosteller", "reason": reason,
                "lock_version": _hidden(page, "lock_version")}
        return lambda: browser.post(revise, form, page=page)

    results = _together(revision(a, page_a, "Start postponed (A)"), revision(b, page_b, "Start postponed (B)"))
    assert sorted(status for status, _text, _loc in results) == [200, 302]
    assert "already exists" in next(text for status, text, _loc in results if status == 200)
    drafts = _sql(database, "SELECT id FROM patients_treatmentplan WHERE previous_id = %s", plan)
    assert len(drafts) == 1
    new = drafts[0][0]

    page_a, page_b = a.get(_plan_path(seeded, new))[1], b.get(_plan_path(seeded, new))[1]

    def issue(browser, page):
        return lambda: browser.post(_plan_path(seeded, new) + "issue/", _issue_form(page), page=page)

    results = _together(issue(a, page_a), issue(b, page_b))
    statuses = sorted(status for status, _text, _loc in results)
    assert statuses == [302, 422], [(s, t[:300]) for s, t, _l in results]
    assert STALE in next(text for status, text, _loc in results if status == 422)
    assert _sql(database, "SELECT status FROM patients_treatmentplan WHERE id IN (%s, %s) ORDER BY id", plan, new) == [
        ("superseded",), ("issued",)]
    for plan_id, reason in ((new, "Issued"), (plan, "Superseded by version 2: %")):
        assert _sql(database, "SELECT count(*) FROM patients_historicaltreatmentplan WHERE id = %s"
                              " AND history_change_reason LIKE %s", plan_id, reason) == [(1,)]


def _write_as(browser, writes):
    """One user's session: for each (page, target, form builder) load the page, then post the form
    built from it. Every request's (method, path, status, body) in order."""
    done = []
    for page_path, target, build in writes:
        status, page, _location = browser.get(page_path)
        done.append(("GET", page_path, status, page))
        if status != 200:
            continue
        status, text, _location = browser.post(target, build(page), page=page)
        done.append(("POST", target, status, text))
    return done


def test_eight_users_write_at_once_without_a_server_error(servers, seeded, database):
    """Eight users on the two servers write at once, ROUNDS times each: three nurses enter lab
    results and height/weight, two physicians correct the same treatment line (so some edits meet
    a real conflict), a third physician issues plans, two pharmacists verify plans."""
    load = seeded["load"]
    patient, line, plans_patient = load["patient"], load["line"], load["plans_patient"]
    today = datetime.date.today().isoformat()
    lab, height_weight = f"/patients/{patient}/record/lab/", f"/patients/{patient}/record/height-weight/"
    line_path = f"/patients/{patient}/treatment-lines/{line}/"
    responses = ["PR", "VGPR", "CR"]

    def plan(pk):
        return _plan_path(seeded, pk, patient=plans_patient)

    writes = {
        "spl_a": [(lab, lab, lambda page, r=r: {"date": today, "analyte": "creatinine", "value": 200 + r})
                  for r in range(ROUNDS)],
        "spl_b": [(lab, lab, lambda page, r=r: {"date": today, "analyte": "creatinine", "value": 210 + r})
                  for r in range(ROUNDS)],
        "spl_c": [(height_weight, height_weight, lambda page, r=r: {"date": today, "height_cm": 180,
                                                                     "weight_kg": 81 + r}) for r in range(ROUNDS)],
        "lege_a": [(line_path, line_path, lambda page, r=r: _line_form(page, responses[r % 3], f"A, round {r}"))
                   for r in range(ROUNDS)],
        "lege_b": [(line_path, line_path, lambda page, r=r: _line_form(page, responses[(r + 1) % 3], f"B, round {r}"))
                   for r in range(ROUNDS)],
        "lege_c": [(plan(pk), plan(pk) + "issue/", _issue_form) for pk in load["to_issue"]],
        "farm_a": [(plan(pk), plan(pk) + "verify/", _verify_form) for pk in load["to_verify"]["farm_a"]],
        "farm_b": [(plan(pk), plan(pk) + "verify/", _verify_form) for pk in load["to_verify"]["farm_b"]],
    }
    users = [Browser(servers[i % 2]).login(username) for i, username in enumerate(writes)]
    started = time.monotonic()
    done = dict(zip(writes, _together(*[
        (lambda user=user, steps=steps: _write_as(user, steps)) for user, steps in zip(users, writes.values(),
                                                                                        strict=True)
    ]), strict=True))
    seconds = time.monotonic() - started

    requests = [(user, *request) for user, requests in done.items() for request in requests]
    errors = [(user, method, path, status) for user, method, path, status, _text in requests if status >= 500]
    posts = [request for request in requests if request[1] == "POST"]
    failed_writes = sum(request[3] >= 500 for request in posts)
    print(f"\n{database.split(':', 1)[0]}: {len(writes)} writers on 2 gunicorn processes x 2 workers, "
          f"{len(posts)} writes and {len(requests) - len(posts)} page loads in {seconds:.1f} s: "
          f"{len(errors)} x HTTP 5xx ({failed_writes} of {len(posts)} writes)")
    assert errors == [], errors
    assert len(posts) == len(writes) * ROUNDS, [(u, m, p, s) for u, m, p, s, _t in requests if s != 200]

    edits = [(status, text) for user, _method, path, status, text in posts if path == line_path]
    unexpected = [(user, path, status, text[:300]) for user, _method, path, status, text in posts
                  if status != 302 and not (path == line_path and status == 200 and STALE in text)]
    assert unexpected == []
    stored = _sql(database, "SELECT value FROM patients_labresult WHERE patient_id = %s AND value >= 200", patient)
    assert sorted(int(v) for (v,) in stored) == [200 + r for r in range(ROUNDS)] + [210 + r for r in range(ROUNDS)]
    assert _sql(database, "SELECT count(*) FROM patients_heightweight WHERE patient_id = %s", patient) == [
        (1 + ROUNDS,)]
    saved_edits = sum(status == 302 for status, _text in edits)
    assert saved_edits >= 1
    assert _sql(database, "SELECT lock_version FROM patients_treatmentline WHERE id = %s", line) == [
        (1 + saved_edits,)]
    for plans, status in ((load["to_issue"], "issued"),
                          (load["to_verify"]["farm_a"] + load["to_verify"]["farm_b"], "verified")):
        marks = ", ".join(["%s"] * len(plans))
        assert _sql(database, f"SELECT DISTINCT status FROM patients_treatmentplan WHERE id IN ({marks})",
                    *plans) == [(status,)]

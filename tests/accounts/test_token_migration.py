"""ApiToken moved from the patients app to accounts (accounts 0001, patients 0009): a database
migrated before the move keeps every token, and the model's content type, permissions and
grants follow it. Run on a database file of its own, migrated by manage.py as a ward's is."""

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY = "a-token-issued-before-the-move"


def manage(db_path, *args):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "DEBUG": "0",
           "SECRET_KEY": "test-only-secret-key-not-for-production"}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_token_issued_before_the_move_survives_and_keeps_its_permissions(tmp_path):
    db_path = tmp_path / "ward.sqlite3"
    manage(db_path, "migrate", "-v", "0")
    # Back to the database as it was before the move (the move changed no table: the same schema).
    manage(db_path, "migrate", "accounts", "zero", "-v", "0")
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT name FROM django_migrations WHERE app = 'accounts'").fetchall() == []
        db.execute("INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,"
                   " is_active, date_joined) VALUES ('!', 0, 'lege', '', '', '', 0, 1, '2026-01-01 00:00:00')")
        user_id = db.execute("SELECT id FROM auth_user WHERE username = 'lege'").fetchone()[0]
        db.execute("INSERT INTO patients_apitoken (name, key_hash, created_at, revoked, user_id) "
                   "VALUES ('ward-pc', ?, '2026-01-01 00:00:00', 0, ?)",
                   (hashlib.sha256(KEY.encode()).hexdigest(), user_id))
        permission = db.execute(
            "SELECT p.id FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id "
            "WHERE ct.app_label = 'patients' AND p.codename = 'change_apitoken'").fetchone()[0]
        db.execute("INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES (?, ?)",
                   (user_id, permission))
    db.close()

    manage(db_path, "migrate", "-v", "0")

    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT app_label FROM django_content_type WHERE model = 'apitoken'").fetchall() == [
            ("accounts",)]
        assert db.execute("SELECT name, revoked FROM patients_apitoken").fetchall() == [("ward-pc", 0)]
    db.close()
    out = manage(db_path, "shell", "-c", (
        "from django.contrib.auth.models import User; from accounts.models import ApiToken; "
        f"t = ApiToken.objects.get(key_hash=ApiToken.hash_key({KEY!r})); "
        "print(t.user.username, User.objects.get(username='lege').has_perm('accounts.change_apitoken'))"))
    assert out.strip().splitlines()[-1] == "lege True"

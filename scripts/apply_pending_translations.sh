#!/usr/bin/env bash
# Integrator's step after merging a branch: refresh the Norwegian catalogue from the source,
# fill it from the branch's locale/pending/*.tsv (English msgid<TAB>Norwegian), and remove them.
# Branches never edit django.po themselves (its location comments conflict between branches).
set -euo pipefail
# The project's makemessages (core/management/commands) also extracts guidelines/data/ambiguities.toml (ADR 0029).
cd "$(dirname "$0")/.."
DEBUG=1 .venv/bin/python manage.py makemessages -l nb --ignore=.venv --ignore=staticfiles --ignore=artifacts --ignore=tests -v 0
if compgen -G "locale/pending/*.tsv" >/dev/null; then
  cat locale/pending/*.tsv | .venv/bin/python scripts/po_fill.py
  git rm -q --cached locale/pending/*.tsv 2>/dev/null || true
  rm -f locale/pending/*.tsv
fi
.venv/bin/python scripts/po_fill.py --missing || true
DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv -v 0

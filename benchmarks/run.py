"""`make bench`: how much slower the app's real work is than a trivial page,
measured side by side in one run, and how much 2 gunicorn workers serve.

Usage: python -m benchmarks.run [--no-docs] [--seconds N]

Everything runs against a throw-away SQLite database in a temporary directory
(migrated, so it holds the regimen library; two fictional patients with 1 and 10
years of history are written through patients/actions/). Timings are medians
of interleaved rounds (A, B, B, A, ...), so drift of the machine hits both sides
alike; the numbers worth comparing are the RATIOS, not the milliseconds.

  (a) POST /api/v1/evaluate vs GET /bench/trivial/           goal <= 2x
  (b) patient overview, 10 years of history, vs trivial      goal <= 3x
      and the overview's query count for 1 vs 10 years        must be equal
  (c) dosing-sheet PDF via regimens.pdf.render_pdf with
      regimens.sheets.dosing_sheet_context vs WeasyPrint on
      the same, already rendered HTML                        goal <= 1.15x
  (e) is the overview's summary cache still needed (issue 11 item 6)? the
      10-year overview with and without it vs trivial, side by side   keep if > 4x
  (d) 2 gunicorn workers on 127.0.0.1, with a session cookie: requests/s and
      errors, bounded in requests and in time (wrk; installed from Debian when
      missing and allowed, else a bounded Python load loop)

Nothing here asserts on time: the script reports, docs/benchmarks.md keeps the
last report (with the machine it ran on).
"""

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.alternatives import measure_alternatives
from benchmarks.fixtures import _setup_database, _verified_plan
from benchmarks.measure import measure_pdf, measure_plan_pdf, measure_views, side_by_side
from benchmarks.report import DOC, DOCS, ROOT, _memory_dir, _where, alternatives_rows, machine, report
from benchmarks.throughput import _wrk_seconds, measure_throughput

# The command and the pieces tests/ops reads from here (their modules: fixtures, measure, throughput, report).
__all__ = ["_verified_plan", "_wrk_seconds", "alternatives_rows", "main", "report", "side_by_side"]


def _environment(workdir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["BENCH_WORKDIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "0"
    os.environ["HTTPS"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-docs", action="store_true", help="print only; do not rewrite docs/benchmarks.md")
    parser.add_argument("--seconds", type=int, default=10, help="time bound of each load run in (d)")
    parser.add_argument("--on-disk", action="store_true",
                        help="keep the database in the system's temporary directory, not in memory (/dev/shm)")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="myelopath-bench-", dir=None if args.on_disk else _memory_dir()))
    load_start = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    _environment(workdir)
    import django

    django.setup()
    try:
        t0 = time.perf_counter()
        print("bench: migrating a temporary database and writing 1 and 10 years of history ...", flush=True)
        user, one, ten, counts = _setup_database()
        print(f"bench: data ready in {time.perf_counter() - t0:.0f} s: {counts}", flush=True)
        views = measure_views(user, one, ten)
        print("bench: (a) and (b) done", flush=True)
        views["e"] = measure_alternatives(user, ten)
        print("bench: (e) done" + ("" if views["e"] else " (no summary cache: nothing to compare)"), flush=True)
        pdf = measure_pdf()
        pdf["request"] = measure_plan_pdf(user, ten)
        print("bench: (c) done" + ("" if pdf["request"] else " (no plan PDF download in this app: snapshot only)"),
              flush=True)
        load = measure_throughput(user, ten, workdir, seconds=args.seconds)
        print("bench: (d) done", flush=True)
        info = machine()
        info["load_start"] = load_start
        info["database"] = _where(workdir)
        table, rounds, load_table, machine_text = report(info, counts, views, pdf, load)
        print()
        print(machine_text)
        print()
        print(table)
        print()
        print(rounds)
        print()
        print(load_table)
        if not args.no_docs:
            DOCS.write_text(DOC.format(machine=machine_text, table=table, rounds=rounds, load=load_table))
            print(f"\nbench: wrote {DOCS.relative_to(ROOT)} (took {time.perf_counter() - t0:.0f} s)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

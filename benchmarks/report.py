"""The report of `make bench`: the machine, the table of ratios, and docs/benchmarks.md's text
(its template: benchmarks/report_template.md)."""

import datetime
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
# docs/benchmarks.md's text: a str.format template (literal braces doubled) for the last run's
# machine, table, rounds and load.
DOC = Path(__file__).with_name("report_template.md").read_text(encoding="utf-8")


def _memory_dir():
    """/dev/shm where it exists: every request of the app commits (the session is saved on
    each request for the idle timeout), and on a disk shared with other jobs the time of that
    fsync varied from under 1 ms to over 20 ms between runs, swamping what the views cost."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _where(workdir):
    if str(workdir).startswith("/dev/shm/"):
        return "in memory (/dev/shm): commits cost no disk time; `--on-disk` for the temporary directory"
    return f"on disk ({workdir.parent}): commits include the disk's time"


def machine():
    import sqlite3

    import django
    import weasyprint

    memory = ""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    wrk = shutil.which("wrk")
    wrk_version = ""
    if wrk:
        wrk_version = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout.split("[")[0].strip()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    gunicorn_version = subprocess.run([str(gunicorn), "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "weasyprint": weasyprint.__version__,
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": gunicorn_version,
        "wrk": wrk_version or "not installed (Python load loop)",
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def _ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def _verdict(ratio, goal):
    return "met" if ratio <= goal else "NOT met"


def _ratio_row(label, case, medians, minimums, base_label, goal=None, verdicts=None):
    """A table row: ``case``'s median, the baseline ``trivial``'s, the ratios of medians (bold
    where a goal applies) and minimums, the goal and its verdict."""
    ratio, steady = medians[case] / medians["trivial"], minimums[case] / minimums["trivial"]
    text, verdict = f"{ratio:.2f}×", ""
    if goal is not None:
        text = f"**{text}**"
        verdict = (verdicts or ("met", "NOT met"))[0 if ratio <= goal else 1]
    goal_text = f"≤ {goal:g}×" if goal else "—"
    return f"| {label} | {_ms(medians[case])} | {base_label} | {text} | {steady:.2f}× | {goal_text} | {verdict} |"


def alternatives_rows(e):
    """(e): the overview with and without its summary cache (issue 11 item 6: keep the cache
    only if the page without it is more than 4× the trivial view)."""
    from benchmarks.alternatives import RULE

    if not e:
        return []
    m, n, q = e["medians"], e["minimums"], e["queries"]
    base = f"trivial view {_ms(m['trivial'])}"
    return [
        _ratio_row(f"(e) patient overview, 10 years, summary from the cache ({q['overview']} queries)", "overview",
                   m, n, base),
        _ratio_row(f"(e) the same without the summary cache, the summary rendered on every view "
                   f"({q['overview_uncached']} queries; issue 11: the cache stays only above 4×)",
                   "overview_uncached", m, n, base, RULE,
                   ("met: the summary cache is not needed", "NOT met: the summary cache stays")),
    ]


def report(info, counts, views, pdf, load):
    a, b, p = views["a"]["medians"], views["b"]["medians"], pdf["medians"]
    a_min, b_min, p_min = views["a"]["minimums"], views["b"]["minimums"], pdf["minimums"]
    q, lq = views["b"]["queries"], views["b"].get("lab_queries")

    def row(label, case, base, medians, minimums, base_label, goal=None, bold=False):
        ratio, steady = medians[case] / medians[base], minimums[case] / minimums[base]
        text = f"{ratio:.2f}×"
        verdict = ""
        if goal is not None:
            text = f"**{text}**" if bold else text
            verdict = _verdict(ratio, goal)
        goal_text = f"≤ {goal:g}×" if goal else "—"
        return (f"| {label} | {_ms(medians[case])} | {base_label} | {text} | {steady:.2f}× | "
                f"{goal_text} | {verdict} |")

    trivial_a, trivial_b = f"trivial view {_ms(a['trivial'])}", f"trivial view {_ms(b['trivial'])}"
    lines = [
        "| measurement | median | baseline (median) | ratio of medians | ratio of minimums | goal | |",
        "|---|---|---|---|---|---|---|",
        row("(a) `POST /api/v1/evaluate` (session)", "evaluate", "trivial", a, a_min, trivial_a, 2, True),
        row("(a) `POST /api/v1/evaluate` (bearer token; measured apart)", "evaluate_bearer", "trivial_bearer", a,
            a_min, f"trivial view {_ms(a['trivial_bearer'])}"),
        row(f"(b) patient overview, 10 years ({counts['labs_10y']} lab results, {counts['lines_10y']} treatment "
            "lines)", "overview_10y", "trivial", b, b_min, trivial_b, 3, True),
        *([row("(b) the same, first view after a change (clinical summary rendered, not from the cache; "
               "measured apart)", "overview_10y_rendered", "trivial_rendered", b, b_min,
               f"trivial view {_ms(b['trivial_rendered'])}")]
          if "overview_10y_rendered" in b else []),
        row(f"(b) patient overview, 1 year ({counts['labs_1y']} lab results, {counts['lines_1y']} treatment line)",
            "overview_1y", "trivial", b, b_min, "trivial view"),
        f"| (b) of which the overview's presenters (its queries and shaping), 10 years | "
        f"{_ms(b['presenters_10y'])} | | | | — | |",
        *([row("(b) the overview's lab section (htmx fragment requested after the page: charts over every result, "
               "latest 30 results), 10 years", "labs_10y", "trivial", b, b_min, "trivial view")]
          if "labs_10y" in b else []),
        row("(b) start page (a template page, for scale)", "home", "trivial", b, b_min, "trivial view"),
        f"| (b) overview SQL queries, 1 year vs 10 years | {q['1y']} vs {q['10y']} | | | | equal | "
        f"{'met' if q['1y'] == q['10y'] else 'NOT met'} |",
        *([f"| (b) the same, summary rendered (first view after a change) | {q['1y_rendered']} vs "
           f"{q['10y_rendered']} | | | | equal | {'met' if q['1y_rendered'] == q['10y_rendered'] else 'NOT met'} |"]
          if "1y_rendered" in q else []),
        *([f"| (b) lab section SQL queries, 1 year vs 10 years | {lq['1y']} vs {lq['10y']} | | | | equal | "
           f"{'met' if lq['1y'] == lq['10y'] else 'NOT met'} |"] if lq else []),
        row(f"(c) dosing-sheet PDF via `render_pdf` + `dosing_sheet_context`, VRd induction full course "
            f"({pdf['full']['cycles']} cycles, {pdf['administrations']} administrations, {pdf['pages']} pages)",
            "render_pdf", "weasyprint", p, p_min, f"WeasyPrint on the same HTML {_ms(p['weasyprint'])}", 1.15, True),
        *([row(f"(c) the full request `GET {pdf['request']['url']}` (verified plan, VRd induction full course, "
               f"{pdf['request']['administrations']} administrations, {pdf['request']['pages']} pages)", "request",
               "weasyprint", pdf["request"]["medians"], pdf["request"]["minimums"],
               f"WeasyPrint on the same HTML {_ms(pdf['request']['medians']['weasyprint'])}", 1.15, True)]
          if pdf.get("request") else []),
        *alternatives_rows(views.get("e")),
    ]
    rounds = (f"Rounds: (a) {views['a']['rounds']}, (b) {views['b']['rounds']}, (c) {pdf['rounds']}"
              + (f", (e) {views['e']['rounds']}" if views.get("e") else "") + "; "
              f"overview page of the 10-year patient: {views['b']['page_bytes'] / 1024:.0f} KiB"
              + (f", its lab section {views['b']['lab_bytes'] / 1024:.0f} KiB" if "lab_bytes" in views["b"] else "")
              + ".")
    load_lines = [
        "| page (2 gunicorn workers, session cookie) | requests | seconds | requests/s | errors | bound | tool |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in load.items():
        label = {"trivial": "trivial view `/bench/trivial/`", "overview_10y": "patient overview, 10 years"}[name]
        load_lines.append(
            f"| {label} | {r['requests']} | {r['seconds']:.1f} | **{r['rps']:.0f}** | {r['errors']} | "
            f"≤ {r['max_requests']} requests, ≤ {r['max_seconds']} s | {r['tool']} |"
        )
    machine_lines = [
        f"- date: {info['date']}",
        f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} memory, {info['os']}",
        f"- Python {info['python']}, Django {info['django']}, WeasyPrint {info['weasyprint']}, "
        f"SQLite {info['sqlite']}, gunicorn {info['gunicorn'].replace('gunicorn (version ', '').rstrip(')')}, "
        f"{info['wrk']}",
        f"- load average (1/5/15 min) at the end: {info['load']} on {info['nproc']} CPUs"
        + (" — a busy machine: the milliseconds are inflated and the ratios noisy" if
           float(info['load'].split(' / ')[0]) > info['nproc'] else ""),
        f"- load average at the start: {info['load_start']}",
        *([f"- database file: {info['database']}"] if info.get("database") else []),
    ]
    return "\n".join(lines), rounds, "\n".join(load_lines), "\n".join(machine_lines)


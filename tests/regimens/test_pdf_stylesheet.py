"""The print stylesheet is parsed once per file version (docs/benchmarks.md, (c))."""

import os

from regimens import pdf


def test_print_stylesheet_is_parsed_once_and_again_when_the_file_changes(tmp_path, monkeypatch):
    css = tmp_path / "print.css"
    css.write_text("@page { size: A4; }")
    monkeypatch.setattr(pdf.finders, "find", lambda name: str(css))
    pdf._stylesheet.cache_clear()

    first = pdf.print_stylesheet()
    assert pdf.print_stylesheet() is first

    css.write_text("@page { size: A5; }")
    stat = css.stat()
    os.utime(css, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert pdf.print_stylesheet() is not first
    pdf._stylesheet.cache_clear()

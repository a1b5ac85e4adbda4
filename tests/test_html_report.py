"""The HTML report renders in a real headless browser with every figure, table and verdict."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from connectome_motifs.motifs.cli import main

MODELS = ["ER", "CFG", "PM"]


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("these tests render the report in headless Chromium: install Debian's "
                "'chromium' package (apt-get install chromium), as .ci/run does")


class _Elements(HTMLParser):
    """Counts what a rendered page holds: figures (with their SVG), tables, verdicts."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[str] = []
        self.svg_in_figure = 0
        self.tables = 0
        self.verdicts = 0
        self.outside: list[str] = []
        self._in_figure = False
        self._in_verdicts = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.figures.append(attrs.get("data-figure"))
            self._in_figure = True
        elif tag == "svg" and self._in_figure:
            self.svg_in_figure += 1
        elif tag == "table":
            self.tables += 1
        elif tag == "ul" and attrs.get("class") == "verdict":
            self._in_verdicts = True
        elif tag == "li" and self._in_verdicts:
            self.verdicts += 1
        for key in ("src", "href"):
            if key in attrs and not str(attrs[key]).startswith(("#", "data:")):
                self.outside.append(attrs[key])

    def handle_endtag(self, tag):
        if tag == "figure":
            self._in_figure = False
        elif tag == "ul":
            self._in_verdicts = False


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    # Enough samples for Holm-adjusted p-values below 0.05 (see test_the_verdicts_...).
    assert main(["run", "--models", ",".join(MODELS), "--samples", "700", "--out", str(out),
                 "--quiet"]) == 0
    return out


def _chromium(*args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    return subprocess.run([_browser(), *flags, *args], capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_browser_renders_every_figure_table_and_verdict(report, tmp_path):
    page = report / "report.html"
    done = _chromium(f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    seen = _Elements()
    seen.feed(done.stdout)
    assert seen.figures == ["triads", "pairs", "degrees", "distance"]
    assert seen.svg_in_figure == 4  # inline, not files beside the page
    # motif overview, statistics, the graph, mixing diagnostics, shared chains
    assert seen.tables == 5
    assert seen.verdicts == len(MODELS)
    assert seen.outside == []  # self-contained
    shot = tmp_path / "page.png"
    done = _chromium(f"--user-data-dir={tmp_path / 'profile2'}", "--window-size=1100,2000",
                     f"--screenshot={shot}", page.as_uri())
    assert done.returncode == 0 and shot.stat().st_size > 50_000, done.stderr[-2000:]


def test_the_verdicts_follow_the_tables(report):
    import pandas as pd

    text = (report / "report.html").read_text()
    motifs = pd.read_csv(report / "motifs.csv", dtype={"motif": str})
    significant = motifs[motifs["p_adjusted"] < 0.05]
    # Both kinds of sentence occur: ER misses 021D and 030T on th100, CFG explains them.
    assert {"ER", "PM"} <= set(significant["model"]) and "CFG" not in set(significant["model"])
    for model in MODELS:
        rows = motifs[(motifs["model"] == model) & (motifs["p_adjusted"] < 0.05)]
        sentence = text.split(f"<li>{model}: ", 1)[1].split("</li>", 1)[0]
        if rows.empty:
            assert sentence.startswith("no 3-cell class")
        else:
            assert sentence.startswith(f"{len(rows)} of 16 triad classes differ significantly")
            assert all(code in sentence for code in rows["motif"])

"""A 10,000-deep `<details>` nesting is refused in bounded memory, without a traceback
(issue 11, item 6)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEPTH = 10_000
# Peak resident memory of the whole import, interpreter and libraries included.
PEAK_LIMIT_KB = 600 * 1024

_MEASURE = """
import resource, sys
from studylog.cli.main import run_command
code = run_command(["--db", sys.argv[1], "import", sys.argv[2]])
print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_ten_thousand_nested_details_are_refused_in_bounded_memory(tmp_path: Path) -> None:
    entry = tmp_path / "2022-03-01-deep.md"
    entry.write_text(
        "## Spec\n\nDate : 2022-03-01\n\n## Lecture content\n\n"
        + "<details>\n<summary>deeper</summary>\n\n" * DEPTH
        + "text\n\n"
        + "</details>\n\n" * DEPTH,
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(tmp_path / "studylog.db"), str(entry)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    code, peak_kb = map(int, done.stdout.splitlines()[-1].split())
    assert code == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"studylog: error: {entry}: line " in done.stderr
    assert "nested more than" in done.stderr
    assert peak_kb < PEAK_LIMIT_KB

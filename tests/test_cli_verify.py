"""`studylog verify`: a learner's remembered outputs checked by torch in the sandbox."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cards.checker import check_exercise
from cards.deck import exercise_for, spec_from_dict
from cards.sandbox.runner import shared_sandbox
from tests.conftest import CLI

pytestmark = pytest.mark.engines

NOTE = """# 2022-01-24

```python
import torch
a = torch.arange(6).reshape(2, 3)
print(a.is_contiguous())  # True
print(a.t().is_contiguous())  # True
print(a.t().shape)  # torch.Size([3, 2])
print(a.sum())  # tensor(16)
```

```python
x = torch.randn(3)
print(x)  # tensor([0.1, 0.2, 0.3])
print(x.shape)  # torch.Size([3])
```

```python
w = torch.load("weights.pt")
print(w.shape)  # torch.Size([10])
```

```python
print(a.float().mean())  # 2.5
```
"""


def test_verify_reports_each_wrong_claim_like_a_compiler(cli: CLI, tmp_path: Path) -> None:
    note = tmp_path / "day.md"
    note.write_text(NOTE, encoding="utf-8")
    run = cli("verify", str(note))
    assert run.code == 1, run.err
    assert run.out.splitlines() == [
        f"{note}:7: print(a.t().is_contiguous()): claimed True, torch says False",
        f"{note}:9: print(a.sum()): claimed tensor(16), torch says tensor(15)",
        "8 claims: 4 agrees, 2 disagrees, 1 random, 1 not run",
    ]


def test_verify_json_gives_every_verdict(cli: CLI, tmp_path: Path) -> None:
    note = tmp_path / "day.md"
    note.write_text(NOTE, encoding="utf-8")
    run = cli("verify", str(note), "--json")
    assert run.code == 1, run.err
    claims = json.loads(run.out)["claims"]
    verdicts = {(c["line"], c["verdict"]) for c in claims}
    assert verdicts == {
        (6, "agrees"),
        (7, "disagrees"),
        (8, "agrees"),
        (9, "disagrees"),
        (14, "random"),
        (15, "agrees"),
        (20, "not run"),
        (24, "agrees"),  # a's block ran first: its names carry over
    }
    wrong = next(c for c in claims if c["line"] == 7)
    assert wrong == {
        "line": 7,
        "expr": "print(a.t().is_contiguous())",
        "claimed": "True",
        "actual": "False",
        "verdict": "disagrees",
        "reason": None,
    }
    assert "load" in next(c for c in claims if c["line"] == 20)["reason"]


def test_all_right_exits_0_and_a_missing_file_is_one_line(cli: CLI, tmp_path: Path) -> None:
    note = tmp_path / "ok.md"
    note.write_text("```python\nprint(torch.ones(2).sum())  # tensor(2.)\n```\n", "utf-8")
    run = cli("verify", str(note))
    assert (run.code, run.out) == (0, "1 claims: 1 agrees\n")
    missing = cli("verify", str(tmp_path / "nope.md"))
    assert missing.code == 1 and missing.err.count("\n") == 1
    assert "no such file" in missing.err


@pytest.mark.engines("sqlite")  # reads card specs from the SQLite file
def test_import_makes_each_wrong_claim_a_card_answered_by_torch(
    cli: CLI, tmp_path: Path, db: str
) -> None:
    note = tmp_path / "2022-01-24.md"
    note.write_text(NOTE, encoding="utf-8")
    run = cli("import", str(note))
    assert run.code == 0, run.err
    assert "2 claims in your notes disagree with torch" in run.out
    with sqlite3.connect(db) as conn:
        specs = [json.loads(row[0]) for row in conn.execute("SELECT spec FROM card")]
    (spec,) = [s for s in specs if s.get("expr") == "a.t().is_contiguous()"]
    assert "# True" not in spec["code"]  # the wrong claim is not given away
    exercise = exercise_for(spec_from_dict(spec), 0)
    sandbox = shared_sandbox()
    assert check_exercise(exercise, "False", sandbox).correct is True
    assert check_exercise(exercise, "True", sandbox).correct is False


def test_an_undated_file_imports_with_date_and_is_refused_without(cli: CLI, tmp_path: Path) -> None:
    note = tmp_path / "autograd-notes.md"
    note.write_text("Notes on autograd\n\n`x.grad` holds the gradient.\n", encoding="utf-8")
    refused = cli("import", str(note))
    assert refused.code == 1 and "--date YYYY-MM-DD" in refused.err
    dated = cli("import", "--date", "2022-01-26", str(note))
    assert dated.code == 0, dated.err
    assert cli("entries").out.startswith("2022-01-26")

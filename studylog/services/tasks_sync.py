"""Keeping entries' tasks in step with their "next plan" lists.

Saving works on a batch of entries at once (an import stores hundreds per batch): the
tasks the batch can touch are read in two queries, changed in memory entry by entry,
and written back in a few statements. Saving one entry is a batch of one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from journal import PlanItem
from studylog.store import tasks as stored_tasks
from studylog.store.tasks import PlanTask

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class EntryPlans:
    """One entry's plan to sync: `fresh` says the entry is new and has no tasks yet."""

    entry_id: int
    plans: tuple[PlanItem, ...]
    due: dt.date
    fresh: bool = False


@dataclass(frozen=True)
class TaskSync:
    """How many tasks a re-derivation added, kept, moved here from earlier days, removed."""

    added: int
    kept: int
    removed: int
    moved: int = 0

    @property
    def total(self) -> int:
        """The tasks the entry's plan now holds."""
        return self.added + self.kept + self.moved


@dataclass(eq=False)
class _Task:
    """A task as the batch sees it: its row as it will be written, and whether a stored
    one changed. Compared by identity, since the ledger's indexes hold it."""

    row: PlanTask
    changed: bool = False

    def update(self, **values: Any) -> None:
        self.row = replace(self.row, **values)
        self.changed = True


class _Ledger:
    """The tasks a batch can touch, loaded once: its entries' own, and open ones by text."""

    def __init__(self, conn: Connection, batch: Sequence[EntryPlans]) -> None:
        known = [p.entry_id for p in batch if not p.fresh]
        texts = sorted({item.text for p in batch for item in p.plans})
        self.loaded: dict[int, _Task] = {}
        for row in stored_tasks.plan_tasks(conn, known, texts):
            assert row.id is not None
            self.loaded[row.id] = _Task(row)
        self.by_text: dict[str, list[_Task]] = {}
        self.by_entry: dict[int | None, list[_Task]] = {}
        for task in self.loaded.values():
            self._index(task)
        self.created: list[_Task] = []
        self.deleted: list[int] = []

    def _index(self, task: _Task) -> None:
        self.by_text.setdefault(task.row.text, []).append(task)
        self.by_entry.setdefault(task.row.entry_id, []).append(task)

    def own(self, entry_id: int) -> list[_Task]:
        """The entry's tasks in plan order (an earlier entry may have taken some over)."""
        mine = [t for t in self.by_entry.get(entry_id, ()) if t.row.entry_id == entry_id]
        return sorted(mine, key=lambda t: t.row.position)

    def open_elsewhere(self, entry_id: int, texts: Iterable[str]) -> dict[str, _Task]:
        """Open tasks with these texts that other plans (or the learner) hold, the latest
        due for each text."""
        found: dict[str, _Task] = {}
        for text in texts:
            held = [
                t
                for t in self.by_text.get(text, ())
                if not t.row.done and t.row.entry_id != entry_id
            ]
            if held:
                found[text] = max(held, key=lambda t: t.row.due)
        return found

    def create(self, task: _Task) -> None:
        self.created.append(task)
        self._index(task)

    def delete(self, task: _Task) -> None:
        self.by_text[task.row.text].remove(task)
        self.by_entry[task.row.entry_id].remove(task)
        if task.row.id is not None:
            del self.loaded[task.row.id]
            self.deleted.append(task.row.id)

    def write(self, conn: Connection, now: dt.datetime) -> None:
        """Insert, update and delete what the batch changed, a statement for each."""
        stored_tasks.write_plan_tasks(
            conn,
            [t.row for t in self.created],
            [t.row for t in self.loaded.values() if t.changed],
            self.deleted,
            now,
        )


def _sync_one(ledger: _Ledger, plan: EntryPlans, now: dt.datetime) -> TaskSync:
    existing = [] if plan.fresh else ledger.own(plan.entry_id)
    unused = list(existing)
    carried = ledger.open_elsewhere(plan.entry_id, (item.text for item in plan.plans))
    added = moved = 0
    for position, item in enumerate(plan.plans):
        match = next((t for t in unused if t.row.text == item.text), None)
        if match is None and item.text in carried:
            # The same open task is planned elsewhere too: one copy is enough. One from
            # an earlier day moves here; one already carried on to a later day stays.
            task = carried.pop(item.text)
            moved += 1
            if task.row.due < plan.due:
                task.update(entry_id=plan.entry_id, due=plan.due, position=position)
            continue
        if match is None:
            done_at = now if item.done else None
            row = PlanTask(None, plan.entry_id, item.text, plan.due, item.done, done_at, position)
            ledger.create(_Task(row))
            added += 1
            continue
        unused.remove(match)
        if item.done and not match.row.done:
            match.update(done=True, done_at=now, position=position)
        elif match.row.position != position:
            match.update(position=position)
    stale = [t for t in unused if not t.row.done]
    for task in stale:
        ledger.delete(task)
    return TaskSync(added=added, kept=len(existing) - len(unused), removed=len(stale), moved=moved)


def sync_plan_tasks(
    conn: Connection, batch: Sequence[EntryPlans], now: dt.datetime
) -> list[TaskSync]:
    """Match each entry's plan items to its tasks by text, keeping each task's done state.

    A `[x]` in the markdown marks a task done; a task ticked in the app stays done even
    though the markdown still says `[ ]`. Open tasks whose item was removed are deleted;
    done ones are kept, since they record work that happened. An item that repeats an
    open task of an earlier day (yesterday's plans carried into today's entry) moves that
    task instead of copying it. Entries are taken in order, so a later one in the batch
    sees the tasks an earlier one made.
    """
    ledger = _Ledger(conn, batch)
    synced = [_sync_one(ledger, plan, now) for plan in batch]
    ledger.write(conn, now)
    return synced

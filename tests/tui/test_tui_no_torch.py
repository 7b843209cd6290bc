"""The UI process never imports torch: checks run in the sandbox's own process.

Run in a fresh interpreter, since other tests in this session may import torch themselves.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from tui_support import SANDBOX_TIMEOUT_S, SIZE, make_app, make_context, wait_until

    async def main():
        ctx = make_context(Path(sys.argv[1]) / "studylog.db", demo=True)
        app = make_app(ctx, warm_sandbox=True)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.ready, "the database")
            await pilot.press("r")
            await wait_until(pilot, lambda: getattr(app.screen, "phase", "") == "asking", "card")
            await pilot.press(*"2x3", "enter")
            await wait_until(
                pilot, lambda: app.screen.phase == "verdict", "verdict", SANDBOX_TIMEOUT_S
            )
            assert app.sandbox_state == "ready", app.sandbox_state
        maps = Path("/proc/self/maps")
        mapped = maps.read_text() if maps.exists() else ""
        print("torch imported:", "torch" in sys.modules)
        print("libtorch mapped:", "libtorch" in mapped)

    asyncio.run(main())
    """
)


def test_the_ui_process_never_imports_torch(tmp_path: Path) -> None:
    env = {**os.environ, "TZ": "UTC", "STUDYLOG_CONFIG": str(tmp_path / "config.toml")}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        env=env,
        timeout=400,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "torch imported: False" in done.stdout
    assert "libtorch mapped: False" in done.stdout

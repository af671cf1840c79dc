"""The architecture stays acyclic and layered: the import-linter contracts in pyproject.toml
(no import cycles between modules, imports only point down the layers, the core never
imports sql, web, cli or app) hold for the code, and they do catch a cycle."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(src: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT), "--no-logo", "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_contracts_hold() -> None:
    result = lint(ROOT / "src", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_a_cycle_or_an_upward_import_breaks_them(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "tactful", src / "tactful", ignore=shutil.ignore_patterns("*.pyc")
    )
    with (src / "tactful" / "records.py").open("a") as f:
        f.write("\nimport tactful.engage.decide  # the ground floor reaching up: a cycle\n")
    with (src / "tactful" / "recommend" / "ease.py").open("a") as f:
        f.write("\nimport tactful.sql  # the core importing an adapter\n")
    result = lint(src, tmp_path)
    assert result.returncode == 1
    for contract in ("No import cycles", "Layers:", "The core never imports"):
        line = next(x for x in result.stdout.splitlines() if x.startswith(contract))
        assert line.endswith("BROKEN"), line

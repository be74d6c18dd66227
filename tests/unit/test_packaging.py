"""The two install routes (pip and conda) must list the same dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml

from kil_analysis.paths import PROJECT_ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    pip_deps = {_name(d) for d in project["dependencies"]}
    pip_deps |= {_name(d) for d in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    # packages conda-forge does not carry are listed under the environment's pip section
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            conda |= {_name(d) for d in entry.get("pip", [])}
    assert conda == pip_deps


def test_readme_opens_with_the_two_commands():
    readme = (PROJECT_ROOT / "README.md").read_text()
    head = readme[: readme.index("\n## ", 1)]
    assert "make reports" in head and "make test" in head


def test_ci_runs_the_readme_test_command():
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text()

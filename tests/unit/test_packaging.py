"""What a fresh clone installs and what CI runs: the two install routes agree, tool versions
are pinned once, and CI runs the commands the README promises."""

from __future__ import annotations

import re
import shlex
import tomllib

import yaml

from kil_analysis.paths import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pins(specs: list[str]) -> dict[str, str]:
    """name → exact version for the ``name==version`` specs."""
    return {_name(s): s.split("==", 1)[1].strip() for s in specs if "==" in s}


def test_environment_yml_matches_pyproject():
    project = PYPROJECT["project"]
    pip_specs = project["dependencies"] + project["optional-dependencies"]["dev"]
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    conda_specs = [d for d in env["dependencies"] if isinstance(d, str)]
    # packages conda-forge does not carry are listed under the environment's pip section
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            conda_specs += entry.get("pip", [])
    conda = {_name(d) for d in conda_specs} - {"python", "pip"}
    assert conda == {_name(d) for d in pip_specs}
    assert _pins(conda_specs) == _pins(pip_specs)  # the same tool versions on both routes


def test_pre_commit_hooks_use_the_dev_extras_pinned_versions():
    pins = _pins(PYPROJECT["project"]["optional-dependencies"]["dev"])
    hooks = yaml.safe_load((PROJECT_ROOT / ".pre-commit-config.yaml").read_text())["repos"]
    revs = {
        repo["repo"].rsplit("/", 1)[1]: repo["rev"].lstrip("v")
        for repo in hooks
        if repo["repo"] != "local"  # the project's own hook, run with its installed code
    }
    assert revs == {"nbstripout": pins["nbstripout"], "ruff-pre-commit": pins["ruff"]}


def test_constraints_pin_every_dependency_and_agree_with_the_pins():
    lines = (PROJECT_ROOT / "constraints.txt").read_text().splitlines()
    constraints = _pins([ln for ln in lines if ln and not ln.startswith("#")])
    project = PYPROJECT["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    assert {_name(d) for d in wanted} <= set(constraints)
    for name, version in _pins(wanted).items():
        assert constraints[name] == version, name


def test_readme_opens_with_the_two_commands():
    readme = (PROJECT_ROOT / "README.md").read_text()
    head = readme[: readme.index("\n## ", 1)]
    assert "make reports" in head and "make test" in head


def _commands(script: str) -> list[list[str]]:
    """The commands a shell script runs at its top level (comments and blank lines dropped)."""
    commands = []
    for line in script.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if words:
            commands.append(words)
    return commands


def test_ci_runs_the_readme_test_command_and_the_linters():
    readme = (PROJECT_ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block, "README opens with a bash block of commands"
    test_command = next(c for c in _commands(block.group(1)) if "test" in c)
    ci = _commands((PROJECT_ROOT / ".ci" / "run").read_text())
    assert test_command in ci  # run as a command, not mentioned in a comment
    assert ["make", "lint"] in ci


def test_makefile_install_uses_the_constraints_and_lint_runs_mypy():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    recipe = makefile[makefile.index("$(STAMP):") :].split("\n\n", 1)[0]
    assert "-c constraints.txt" in recipe and "-e '.[dev]'" in recipe
    lint = makefile[makefile.index("\nlint:") :].split("\n\n", 1)[0]
    assert "$(BIN)/mypy" in lint and "ruff check" in lint


def test_the_tests_never_write_into_the_checkouts_data_or_reports():
    from kil_analysis import paths

    for folder in (paths.data_dir(), paths.reports_dir()):
        assert PROJECT_ROOT not in folder.parents and folder != PROJECT_ROOT

"""The composite GitHub Action and the workflow documented in docs/github-actions.md.

The workflow and the action are parsed and cross-checked (every input and output they use
exists), and the action's shell steps are run for real, the way a runner would: expressions
substituted into `env`, scripts run by `bash -eo pipefail`, outputs read from $GITHUB_OUTPUT.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, clean_checkout, write_files
from tests.test_sarif_report import validate

# one xdist worker runs this module: the action's installed venv is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_action_workflow")

ACTION: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))
DOC = (REPO / "docs/github-actions.md").read_text("utf-8")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _workflow(name: str = "floe-lint") -> dict[str, Any]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC, re.S)
    workflows = [yaml.safe_load(b) for b in blocks if "jobs:" in b]
    assert [w["name"] for w in workflows] == ["floe-lint", "floe-lint impact"]
    [loaded] = [w for w in workflows if w["name"] == name]
    assert isinstance(loaded, dict)
    return loaded


def _steps() -> list[dict[str, Any]]:
    [job] = _workflow()["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def _lint_step() -> dict[str, Any]:
    [step] = [s for s in _steps() if str(s.get("uses", "")).startswith("floe-dev/floe-lint@")]
    return step


def _expressions(node: Any) -> list[str]:
    return EXPRESSION.findall(json.dumps(node))


def test_action_is_composite_and_every_input_has_a_description_and_default() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {
        "paths",
        "format",
        "sarif-file",
        "category",
        "fail-on",
        "config",
        "isolated",
        "trusted-roots",
        "version",
    }
    for name, spec in ACTION["inputs"].items():
        assert spec["description"], name
        assert "default" in spec, name


def test_action_uses_only_inputs_and_steps_it_defines() -> None:
    ids = {s["id"] for s in ACTION["runs"]["steps"] if "id" in s}
    for expression in _expressions(ACTION):
        for ref in re.findall(r"inputs\.([\w-]+)", expression):
            assert ref in ACTION["inputs"], expression
        for ref in re.findall(r"steps\.([\w-]+)\.", expression):
            assert ref in ids, expression


def test_action_scripts_never_splice_expressions_into_shell_text() -> None:
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], step["name"]


def test_workflow_uses_only_inputs_and_outputs_the_action_has() -> None:
    step = _lint_step()
    assert set(step["with"]) <= set(ACTION["inputs"])
    used_outputs = {
        m for e in _expressions(_steps()) for m in re.findall(r"steps\.lint\.outputs\.([\w-]+)", e)
    }
    assert used_outputs and used_outputs <= set(ACTION["outputs"])


def test_action_keeps_the_jobs_python_and_never_calls_a_bare_python() -> None:
    [setup] = [s for s in ACTION["runs"]["steps"] if "setup-python" in str(s.get("uses", ""))]
    assert setup["with"]["update-environment"] is False
    for step in ACTION["runs"]["steps"]:
        if "run" in step:  # `python` is absent on Debian and some runners; python3 is not
            assert not re.search(r"(^|[\s;&|(])python(\s|$)", step["run"]), step["name"]
    [install] = [s for s in ACTION["runs"]["steps"] if s.get("id") == "install"]
    assert install["env"]["SETUP_PYTHON"] == "${{ steps.python.outputs.python-path }}"


def test_workflow_uses_upload_sarif_v4() -> None:
    uses = [str(s.get("uses", "")) for s in _steps()]
    assert "github/codeql-action/upload-sarif@v4" in uses
    assert not [u for u in uses if u.startswith("github/codeql-action/") and not u.endswith("@v4")]


def test_workflow_uploads_sarif_with_category_permission_and_a_guard() -> None:
    [job] = _workflow()["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    [upload] = [s for s in _steps() if "upload-sarif" in str(s.get("uses", ""))]
    assert set(upload["with"]) == {"sarif_file", "category"}
    assert "category" in upload["with"]["category"]
    assert upload["continue-on-error"] is True
    assert "!cancelled()" in upload["if"] and "private" in upload["if"]
    assert _lint_step()["with"]["format"] == "github"


def _expand(value: str, context: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        key = match[1]
        assert key in context, f"unknown expression {key}"
        return context[key]

    return EXPRESSION.sub(one, value)


def _run_step(step: dict[str, Any], context: dict[str, str], cwd: Path, tmp: Path) -> int:
    """Run one composite `run` step like a runner; its outputs land in context."""
    output = tmp / f"output-{step.get('id', 'step')}"
    output.write_text("", "utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
        "GITHUB_OUTPUT": str(output),
        "GITHUB_ACTIONS": "true",
        "RUNNER_TEMP": str(tmp),
        **{k: _expand(str(v), context) for k, v in step.get("env", {}).items()},
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    context[f"stdout.{step.get('id', step['name'])}"] = proc.stdout
    for line in output.read_text("utf-8").splitlines():
        key, _, value = line.partition("=")
        context[f"steps.{step['id']}.outputs.{key}"] = value
    return proc.returncode


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The action's install step, run for real: a fresh venv with this checkout installed."""
    tmp = tmp_path_factory.mktemp("runner")
    [install] = [s for s in ACTION["runs"]["steps"] if s.get("id") == "install"]
    context = {
        "inputs.version": "",
        "github.action_path": str(clean_checkout(tmp / "action")),
        "steps.python.outputs.python-path": shutil.which("python3") or "python3",
    }
    assert _run_step(install, context, tmp, tmp) == 0
    return context


def _lint(installed: dict[str, str], cwd: Path, tmp: Path, **inputs: str) -> dict[str, str]:
    context = dict(installed)
    for name, spec in ACTION["inputs"].items():
        context[f"inputs.{name}"] = inputs.get(name.replace("-", "_"), spec["default"])
    steps = [s for s in ACTION["runs"]["steps"] if "run" in s and s.get("id") != "install"]
    context["exit"] = str([_run_step(s, context, cwd, tmp) for s in steps])
    return context


MANIFEST = "plugins:\n  compute:\n    approved: [duckdb]\n    default: duckdb\n"
PRODUCT = (
    "name: orders\nplatform: {ref: ../../platform/manifest.yaml}\ntransforms:\n"
    "  - {type: dbt, path: models/x/, compute: snowflake}\n"
)


def test_action_annotates_writes_sarif_and_fails_the_job(installed, tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"platform/manifest.yaml": MANIFEST, "products/orders/floe.yaml": PRODUCT},
    )
    context = _lint(installed, tmp_path, tmp_path, paths="platform products")
    assert context["exit"] == "[0, 1]"  # lint step succeeds, then the job fails on findings
    assert context["steps.lint.outputs.exit-code"] == "1"
    assert context["steps.lint.outputs.sarif-file"] == "floe-lint.sarif"
    assert context["steps.lint.outputs.category"] == "floe-lint"
    annotations = context["stdout.lint"]
    assert "::error file=products/orders/floe.yaml,line=4,col=43," in annotations
    log = validate(json.loads((tmp_path / "floe-lint.sarif").read_text("utf-8")))
    assert log["runs"][0]["automationDetails"] == {"id": "floe-lint/"}
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["FL201"]


def test_action_passes_a_clean_tree_and_writes_empty_results(installed, tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": MANIFEST,
            "products/orders/floe.yaml": PRODUCT.replace("snowflake", "duckdb"),
        },
    )
    context = _lint(installed, tmp_path, tmp_path, category="floe-lint/products")
    assert context["exit"] == "[0, 0]"
    log = validate(json.loads((tmp_path / "floe-lint.sarif").read_text("utf-8")))
    assert log["runs"][0]["results"] == []


def test_action_inputs_are_data_not_shell(installed, tmp_path: Path) -> None:
    write_files(tmp_path, {"platform/manifest.yaml": MANIFEST})
    context = _lint(installed, tmp_path, tmp_path, paths="platform", category="$(touch pwned)")
    assert context["exit"] == "[0, 0]"
    assert not (tmp_path / "pwned").exists()
    assert context["steps.lint.outputs.category"] == "$(touch pwned)"


def test_fail_on_warning_input_fails_on_a_warning(installed, tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "platform/manifest.yaml": MANIFEST + "# floe-lint: disable-file=FL201 -- unused\n",
        },
    )
    assert _lint(installed, tmp_path, tmp_path, paths="platform")["exit"] == "[0, 0]"
    context = _lint(installed, tmp_path, tmp_path, paths="platform", fail_on="warning")
    assert context["exit"] == "[0, 1]"
    assert "::warning file=platform/manifest.yaml" in context["stdout.lint"]


def test_the_impact_job_appends_markdown_to_the_job_summary(tmp_path: Path) -> None:
    """The documented impact step, run as a runner would, in a real pull-request-like repo."""
    import shutil
    import sys

    from tests.test_dependents import TREE, WITHOUT_SNOWFLAKE
    from tests.test_impact import git

    [job] = _workflow("floe-lint impact")["jobs"].values()
    [step] = [s for s in job["steps"] if s.get("name") == "Impact of the changed manifests"]
    assert step["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}
    assert "${{" not in step["run"], "inputs reach the script only through env"
    repo = tmp_path / "repo"
    write_files(repo, {**TREE, "products/orders/manifest-notes.txt": "not yaml"})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    write_files(repo, {"platform/enterprise/manifest.yaml": WITHOUT_SNOWFLAKE})
    git(repo, "commit", "-qam", "drop snowflake")
    summary = tmp_path / "summary.md"
    bin_dir = Path(shutil.which("floe-lint", path=str(Path(sys.executable).parent)) or "").parent
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=repo,
        env={
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "BASE_SHA": base,
            "GITHUB_STEP_SUMMARY": str(summary),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    text = summary.read_text("utf-8")
    assert text.startswith("## floe-lint impact: platform/enterprise/manifest.yaml\n")
    assert "**2 new errors**" in text  # snowflake without database is lenient (6a9310c)
    assert "Breaks: platform/sales/manifest.yaml, products/orders/floe.yaml" in text


def test_the_pull_request_workflow_lints_with_the_base_config_and_a_trusted_root(
    installed, tmp_path: Path
) -> None:
    """The documented steps, run for real in a pull-request-like repository: the config comes
    from the base commit (the pull request's own edit of it does not count: --isolated), and a
    product pointing at its own "enterprise" fails as untrusted-root."""
    from tests.test_impact import git

    [job] = _workflow()["jobs"].values()
    [base_step] = [s for s in job["steps"] if s.get("name") == "Config from the base branch"]
    assert "${{" not in base_step["run"], "the base SHA reaches the script only through env"
    lint = _lint_step()["with"]
    assert lint["isolated"] == "true"
    assert lint["config"] == "${{ runner.temp }}/floe-lint.yaml"
    assert re.fullmatch(r"oci://[^@\s]+@sha256:[0-9a-f]{64}", lint["trusted-roots"])
    repo = tmp_path / "repo"
    write_files(
        repo,
        {
            ".floe-lint.yaml": "trusted-roots: [platform/manifest.yaml]\n",
            "platform/manifest.yaml": MANIFEST,
            "products/orders/floe.yaml": PRODUCT.replace("snowflake", "duckdb"),
        },
    )
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    # the pull request: its own platform, and a config that would trust it and ignore all
    write_files(
        repo,
        {
            ".floe-lint.yaml": "trusted-roots: [products/orders/manifest.yaml]\nignore: [ALL]\n",
            "products/orders/manifest.yaml": MANIFEST.replace("[duckdb]", "[duckdb, snowflake]"),
            "products/orders/floe.yaml": PRODUCT.replace("../../platform/", ""),
        },
    )
    runner = tmp_path / "runner"
    runner.mkdir()
    context = {"github.event.pull_request.base.sha || github.sha": base}
    env = {k: _expand(str(v), context) for k, v in base_step["env"].items()}
    fetched = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", base_step["run"]],
        cwd=repo,
        env={**os.environ, **env, "RUNNER_TEMP": str(runner)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert fetched.returncode == 0, fetched.stderr
    context = _lint(
        installed,
        repo,
        tmp_path,
        paths="platform products",
        config=str(runner / "floe-lint.yaml"),
        isolated="true",
        trusted_roots="platform/manifest.yaml",
    )
    assert context["exit"] == "[0, 1]"
    assert "::error file=products/orders/floe.yaml,line=2,col=17," in context["stdout.lint"]
    assert "untrusted-root" in context["stdout.lint"]

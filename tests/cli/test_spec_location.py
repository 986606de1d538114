"""Where the commands find the spec: --spec, else $AB_SPEC, else the project setting ([tool.ab-models] spec
in the nearest pyproject.toml that has the table, relative to that file); with none, one line and exit 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from constructs_ab.__main__ import main
from constructs_ab.cli.project_setting import ProjectSettingError, find_project_setting, read_project_setting
from constructs_ab.cli.spec_option import NOT_CONFIGURED, SpecLocationError, locate_spec

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "ab-experiments.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path/repo: a user's repository whose pyproject.toml names infra/experiments.yaml (a copy of the
    example); the current directory is its subfolder `app/`, and $AB_SPEC is unset."""
    repo = tmp_path / "repo"
    (repo / "infra").mkdir(parents=True)
    (repo / "app").mkdir()
    shutil.copy(EXAMPLE, repo / "infra" / "experiments.yaml")
    (repo / "pyproject.toml").write_text('[tool.ab-models]\nspec = "infra/experiments.yaml"\n')
    monkeypatch.chdir(repo / "app")
    monkeypatch.delenv("AB_SPEC", raising=False)
    return repo


def test_the_setting_is_found_from_a_subfolder_and_is_relative_to_its_file(project: Path) -> None:
    location = locate_spec(None)
    assert location.path.resolve() == (project / "infra" / "experiments.yaml").resolve()
    assert location.source == f"{project / 'pyproject.toml'} [tool.ab-models] spec"


def test_a_pyproject_without_the_table_is_passed_over(project: Path) -> None:
    (project / "app" / "pyproject.toml").write_text('[project]\nname = "app"\n')
    setting = find_project_setting()
    assert setting is not None and setting.file == project / "pyproject.toml"


def test_the_environment_variable_beats_the_setting_and_the_option_beats_both(project: Path) -> None:
    environ = {"AB_SPEC": "from-env.yaml"}
    assert locate_spec(None, environ=environ).path == Path("from-env.yaml")
    assert locate_spec(None, environ=environ).describe() == "from-env.yaml (from $AB_SPEC)"
    assert locate_spec(Path("given.yaml"), environ=environ).path == Path("given.yaml")
    assert locate_spec(Path("given.yaml"), environ=environ).describe() == "given.yaml"
    assert locate_spec(None, environ={"AB_SPEC": ""}).source is not None  # empty means unset


def test_nothing_configured_is_one_line_saying_how(tmp_path: Path) -> None:
    with pytest.raises(SpecLocationError) as error:
        locate_spec(None, environ={}, start=tmp_path)
    assert str(error.value) == NOT_CONFIGURED and "\n" not in NOT_CONFIGURED
    for hint in ("--spec PATH", "AB_SPEC=PATH", "[tool.ab-models]", "pyproject.toml"):
        assert hint in NOT_CONFIGURED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[tool.ab-models\n", "not valid TOML"),
        (
            '[tool]\nab-models = "x.yaml"\n',
            '[tool.ab-models] must be a table, e.g. spec = "path/to/spec.yaml"',
        ),
        (
            '[tool.ab-models]\nspc = "x.yaml"\n',
            "[tool.ab-models]: unknown key 'spc'; did you mean 'spec'? (keys: spec)",
        ),
        ("[tool.ab-models]\n", '[tool.ab-models]: spec is missing; add spec = "path/to/spec.yaml"'),
        (
            "[tool.ab-models]\nspec = 12\n",
            "[tool.ab-models]: spec = 12 is not allowed; it is the spec file's path",
        ),
        ('[tool.ab-models]\nspec = " "\n', "[tool.ab-models]: spec = ' ' is not allowed"),
    ],
)
def test_a_wrong_setting_is_one_line_naming_the_file(tmp_path: Path, content: str, message: str) -> None:
    file = tmp_path / "pyproject.toml"
    file.write_text(content)
    with pytest.raises(ProjectSettingError) as error:
        read_project_setting(file)
    assert str(error.value).startswith(f"{file}: ") and message in str(error.value)
    assert "\n" not in str(error.value)


def test_this_repositorys_setting_names_the_example() -> None:
    setting = read_project_setting(REPO / "pyproject.toml")
    assert setting is not None and setting.spec == REPO / "examples" / "ab-experiments.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def only_warnings(err: str) -> bool:
    return all(": warning: " in line for line in err.splitlines())


def test_validate_reads_the_configured_spec(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate")
    assert code == 0 and out.startswith("staging: 1 load balancer(s)")
    # the example's warning names the configured file (outside the current directory: in full)
    assert only_warnings(err) and err.startswith(f"{project / 'infra' / 'experiments.yaml'}:")


def test_the_rollout_commands_edit_the_configured_spec(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = project / "infra" / "experiments.yaml"
    code, out, err = run(capsys, "set-weights", "chat-llm", "llama-8b=50", "mistral-7b=40", "qwen-7b=10")
    assert (code, err) == (0, "")
    assert out.endswith(f"wrote {spec}\n")  # outside the current directory: shown in full
    assert "weight: 50" in spec.read_text()
    code, out, err = run(capsys, "promote", "sentiment-abtest", "--env", "prod", "--dry-run")
    assert (code, err) == (0, "") and out.endswith(f"dry run: {spec} not changed\n")


def test_a_relative_spec_inside_the_current_directory_is_shown_relative(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    code, out, _ = run(capsys, "rollback", "sentiment-abtest", "--env", "prod", "--dry-run")
    assert code == 0 and out.endswith("dry run: infra/experiments.yaml not changed\n")


def test_synth_reads_the_configured_spec(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # an invalid configured spec: synth reports its problems before any cdktf call, naming that file
    spec = project / "infra" / "experiments.yaml"
    spec.write_text(spec.read_text().replace("weight: 80", "weight: 8000", 1))
    code, out, err = run(capsys, "synth", "--outdir", str(project / "out"))
    assert code == 2 and out == ""
    assert err.startswith(f"{spec}:") and err.endswith(f"synth: 1 problem in {spec}; nothing was written.\n")
    assert not (project / "out").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("synth",),
        ("promote", "x"),
        ("rollback", "x"),
        ("set-weights", "x", "a=1"),
        ("status", "--env", "prod"),
        ("drift", "--env", "prod"),
        ("preflight", "--env", "prod"),
        ("analyze", "x", "--env", "prod"),
        ("reconcile", "x", "--env", "prod"),
    ],
)
def test_every_command_that_reads_the_spec_fails_in_one_line_without_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AB_SPEC", raising=False)
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert err == f"{args[0]}: {NOT_CONFIGURED}\n"
    assert list(tmp_path.iterdir()) == []


def test_a_missing_configured_spec_names_where_it_came_from(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "infra" / "experiments.yaml").unlink()
    code, _, err = run(capsys, "validate")
    assert code == 2
    assert err == (
        f"validate: cannot read spec {project / 'infra' / 'experiments.yaml'} "
        f"(from {project / 'pyproject.toml'} [tool.ab-models] spec): No such file or directory\n"
    )

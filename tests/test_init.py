"""Starting and finding a project: `dateline init [DIR]` (a starter that passes check, never
written over anything), settings in dateline.toml or [tool.dateline], the project found from a
folder inside it, drafts built only when asked, and what the command line says of itself."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dateline import cli, init
from dateline.config import ConfigError, find_root, load_config
from dateline.init import starter_files
from helpers import BUILD_PY, PLACE, PYPROJECT, REPO, Result, build_site, event, page, snapshot, write_files

STARTER = sorted(starter_files())


def dateline(cwd: Path, *argv: str) -> Result:
    """`dateline <argv>` in-process, run from `cwd`, with no --root unless given."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:   # argparse: usage errors exit 2
            code = exc.code if isinstance(exc.code, int) else 1
    return Result(code, stdout.getvalue(), stderr.getvalue(), cwd / "site")


# -- init ---------------------------------------------------------------------------------------

def test_init_writes_a_starter_that_checks_and_builds(tmp_path):
    result = dateline(tmp_path, "init", "mysite")
    assert result.exit_code == 0, result
    project = tmp_path / "mysite"
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()) == STARTER
    assert STARTER == [".github/workflows/pages.yml", ".gitignore", "content/pages/about.md",
                       "content/river-floods-lower-town.md", "dateline.toml"]
    check = dateline(project, "check")
    assert check.exit_code == 0 and check.stdout == "Checked 1 event, 1 page: no errors\n", check
    built = dateline(project, "build")
    assert built.exit_code == 0, built
    assert "Millbrook" in (project / "site/events/river-floods-lower-town/index.html").read_text()
    assert "A river&#39;s year" in (project / "site/index.html").read_text()


def test_init_says_what_to_type_next(tmp_path):
    result = dateline(tmp_path, "init", "my site")
    lines = result.stdout.splitlines()
    commands = [line.split("   ")[0].strip() for line in lines[lines.index("Next:") + 1:] if line.startswith("  ")]
    assert commands == ["cd 'my site'", "dateline serve", 'dateline new "What happened"', "dateline check",
                        "dateline build"]


def test_init_in_the_current_folder_needs_no_cd_and_keeps_what_is_there(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "content").mkdir()
    (tmp_path / "content/levee.md").write_text(event(title="Levee breaks", date="2024-01-03"))
    result = dateline(tmp_path, "init")
    assert result.exit_code == 0, result
    assert "cd " not in result.stdout and "dateline serve" in result.stdout
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert dateline(tmp_path, "check").stdout == "Checked 2 events, 1 page: no errors\n"


@pytest.mark.parametrize("taken", ["dateline.toml", ".gitignore", "content/pages/about.md",
                                   ".github/workflows/pages.yml"])
def test_init_never_overwrites_and_writes_nothing_when_one_file_is_taken(tmp_path, taken):
    write_files(tmp_path, {taken: "mine\n"}, pyproject=None)
    before = snapshot(tmp_path)
    result = dateline(tmp_path, "init")
    assert result.exit_code == 1
    assert result.stderr == (f"error: nothing was written: {taken} in this folder is there already. Move it "
                             "away, or start the project in another folder: dateline init NEW-FOLDER\n")
    assert snapshot(tmp_path) == before


def test_init_names_every_file_in_the_way(tmp_path):
    write_files(tmp_path, {"mysite/.gitignore": "x", "mysite/content": "a file where a folder goes"}, pyproject=None)
    result = dateline(tmp_path, "init", "mysite")
    assert result.exit_code == 1
    assert "nothing was written: .gitignore and content in mysite are there already" in result.stderr
    assert not (tmp_path / "mysite/dateline.toml").exists()


def test_init_refuses_a_project_configured_in_pyproject(tmp_path):
    write_files(tmp_path, {}, pyproject=PYPROJECT)
    result = dateline(tmp_path, "init")
    assert result.exit_code == 1 and "[tool.dateline] of its pyproject.toml" in result.stderr
    assert not (tmp_path / "dateline.toml").exists()


def test_every_setting_the_starter_shows_commented_out_works_uncommented(tmp_path):
    """The starter's dateline.toml shows settings as `# key = value` lines: with every one of them
    in use (and the logo and folders they name there), the project still checks and builds."""
    assert dateline(tmp_path, "init", "p").exit_code == 0
    project = tmp_path / "p"
    toml = project / "dateline.toml"
    lines = toml.read_text().splitlines()
    used = [re.sub(r"^# (?=\[?[a-z_]+\]?( = |$))", "", line) for line in lines]
    assert sum(a != b for a, b in zip(lines, used)) >= 12, "fewer commented settings than expected"
    toml.write_text("\n".join(used) + "\n")
    (project / "static").mkdir()
    (project / "static/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>')
    check = dateline(project, "check")
    assert check.exit_code == 0, check
    built = dateline(project, "build")
    assert built.exit_code == 0, built
    home = (project / "site/index.html").read_text()
    assert "static/logo.svg" in home and "Written by the river society" in home


def test_init_takes_no_build_options(tmp_path):
    result = dateline(tmp_path, "init", "x", "--port", "8001")
    assert result.exit_code == 2 and "init takes only a folder" in result.stderr


def test_the_starter_workflow_publishes_with_the_pages_address():
    workflow = starter_files()[".github/workflows/pages.yml"]
    assert "uses: actions/configure-pages@" in workflow and "uses: actions/upload-pages-artifact@" in workflow
    assert "uses: actions/deploy-pages@" in workflow
    assert 'dateline build --base-url "${{ steps.pages.outputs.base_url }}"' in workflow
    assert 'pip install "dateline' in workflow and "@REQUIREMENT@" not in workflow


# -- dateline.toml ------------------------------------------------------------------------------

def test_settings_are_read_from_dateline_toml(tmp_path):
    (tmp_path / "dateline.toml").write_text('title = "River notes"\npage_size = 7\ncontent = "entries"\n')
    config = load_config(tmp_path)
    assert (config.title, config.page_size, config.content) == ("River notes", 7, tmp_path.resolve() / "entries")


def test_an_unknown_setting_in_dateline_toml_names_the_file(tmp_path):
    (tmp_path / "dateline.toml").write_text('titel = "River notes"\n')
    with pytest.raises(ConfigError) as caught, contextlib.chdir(tmp_path):
        load_config(tmp_path)
    assert str(caught.value) == "dateline.toml:1: unknown setting 'titel' in dateline.toml — did you mean 'title'?"


def test_settings_in_both_files_are_an_error_naming_both(tmp_path):
    write_files(tmp_path, {"dateline.toml": 'title = "A"\n'}, pyproject=PYPROJECT)
    result = dateline(tmp_path, "check")
    assert result.exit_code == 2
    assert result.stderr == (f"error: both {tmp_path.resolve() / 'dateline.toml'} and [tool.dateline] in "
                             f"{tmp_path.resolve() / 'pyproject.toml'} configure this site: keep the settings "
                             "in one of them and delete the other\n")


def test_a_pyproject_without_dateline_settings_leaves_dateline_toml_alone(tmp_path):
    write_files(tmp_path, {"dateline.toml": 'title = "A"\n'}, pyproject='[project]\nname = "x"\n')
    assert load_config(tmp_path).title == "A"


def test_drafts_is_not_a_setting(tmp_path):
    (tmp_path / "dateline.toml").write_text("drafts = true\n")
    with pytest.raises(ConfigError, match="'drafts' is not a setting: it is the command-line option --drafts"):
        load_config(tmp_path)


# -- the project found from inside it -----------------------------------------------------------

@pytest.mark.parametrize("marker", ["dateline.toml", "pyproject.toml"])
def test_the_project_is_the_nearest_folder_with_settings(tmp_path, marker):
    text = 'title = "A"\n' if marker == "dateline.toml" else PYPROJECT
    write_files(tmp_path, {f"project/{marker}": text, "project/content/pages/x": ""}, pyproject=None)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "not-a-site"\n')   # no [tool.dateline]
    project = tmp_path / "project"
    assert find_root(project / "content/pages") == project
    assert find_root(project) == project
    assert find_root(tmp_path) is None


def test_new_run_inside_content_writes_into_the_projects_content(tmp_path):
    assert dateline(tmp_path, "init").exit_code == 0
    result = dateline(tmp_path / "content/pages", "new", "The weir is rebuilt", "--date", "2025-06-01")
    assert result.exit_code == 0, result
    assert (tmp_path / "content/the-weir-is-rebuilt.md").is_file()
    assert not (tmp_path / "content/pages/content").exists()
    assert result.stdout.startswith("Wrote ../the-weir-is-rebuilt.md\n")
    assert "check it with: dateline check" in result.stdout and "make" not in result.stdout
    assert dateline(tmp_path / "content", "check").stdout == "Checked 2 events, 1 page: no errors\n"


def test_build_from_a_subfolder_writes_the_projects_site(tmp_path):
    assert dateline(tmp_path, "init").exit_code == 0
    assert dateline(tmp_path / "content", "build").exit_code == 0
    assert (tmp_path / "site/index.html").is_file() and not (tmp_path / "content/site").exists()


def test_an_explicit_root_is_taken_as_given(tmp_path):
    assert dateline(tmp_path, "init").exit_code == 0
    result = dateline(tmp_path / "content", "check", "--root", ".")
    assert result.exit_code == 1 and "content folder not found" in result.stderr


# -- drafts -------------------------------------------------------------------------------------

DRAFTS = {
    "content/rain.md": event(title="Heavy rain", date="2024-01-01", place=PLACE),
    "content/levee.md": event(title="Levee breaks", date="2024-01-03", place=PLACE, draft=True),
    "content/pages/plans.md": page(title="Plans", draft=True),
}


def test_drafts_are_left_out_unless_asked_for_and_marked_when_built(tmp_path):
    plain = build_site(tmp_path / "a", DRAFTS)
    assert plain.exit_code == 0, plain
    assert not plain.exists("events/levee/index.html") and not plain.exists("plans/index.html")

    shown = build_site(tmp_path / "b", DRAFTS, "build", "--drafts")
    assert shown.exit_code == 0, shown
    levee, plans, rain = (shown.read(p) for p in ("events/levee/index.html", "plans/index.html",
                                                     "events/rain/index.html"))
    for html in (levee, plans):
        assert '<p class="draft-note"><strong>Draft</strong>: not published;' in html
        assert '<meta name="robots" content="noindex">' in html
    assert "draft-note" not in rain and "noindex" not in rain
    assert "Levee breaks" in shown.read("index.html")


def test_drafts_is_not_an_option_of_new(tmp_path):
    result = build_site(tmp_path, {}, "new", "X", "--drafts")
    assert result.exit_code == 2 and "--drafts is for build, check and serve" in result.stderr


# -- the command line about itself --------------------------------------------------------------

@pytest.mark.parametrize("program,name", [([str(BUILD_PY)], "build.py"), (["-m", "dateline.cli"], "dateline")])
def test_help_names_the_program_as_it_was_run(program, name):
    proc = subprocess.run([sys.executable, *program, "--help"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"usage: {name} [-h]"), proc.stdout[:80]
    assert "init" in proc.stdout


def test_counts_are_said_in_the_singular_for_one(tmp_path):
    files = {"content/rain.md": event(title="Heavy rain", date="2024-01-01", place=PLACE),
             "content/pages/about.md": page(title="About")}
    assert build_site(tmp_path, files, "check").stdout == "Checked 1 event, 1 page: no errors\n"
    built = build_site(tmp_path, {}, "build")
    assert built.stdout.startswith("Built 1 event, ") and " files in " in built.stdout


def test_counted_says_one_thing_and_many_things():
    from dateline.plural import counted
    assert [counted(n, "file") for n in (0, 1, 2, 1204)] == ["0 files", "1 file", "2 files", "1,204 files"]
    assert counted(1, "entry", "entries") == "1 entry" and counted(3, "entry", "entries") == "3 entries"


class _Installed:
    """A stand-in for importlib.metadata's record of how dateline was installed."""

    def __init__(self, direct_url: str | None):
        self.version, self._direct_url = "0.1.0", direct_url

    def read_text(self, name: str) -> str | None:
        return self._direct_url if name == "direct_url.json" else None


@pytest.mark.parametrize("direct_url,wanted", [
    ('{"url": "https://github.com/someone/dateline", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}',
     "dateline @ git+https://github.com/someone/dateline@abc123"),
    ('{"url": "file:///home/me/dateline", "dir_info": {}}', "dateline==0.1.0"),   # CI cannot reach it
    (None, "dateline==0.1.0"),                                                    # from an index
])
def test_the_workflow_installs_dateline_from_where_it_came(monkeypatch, direct_url, wanted):
    monkeypatch.setattr(init.metadata, "distribution", lambda name: _Installed(direct_url))
    assert f'pip install "{wanted}"' in init.starter_files()[".github/workflows/pages.yml"]

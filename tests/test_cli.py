"""`govmedia check`: the content checker for files, Django's system check for its own options."""

import pytest

from govmedia.cli import is_probe, is_system_check, main


@pytest.mark.parametrize("args", [[], ["--deploy"], ["--tag", "security"], ["--tag=security"], ["-t", "models"],
                                  ["--list-tags"], ["--deploy", "--fail-level", "WARNING"], ["--database=default"]])
def test_django_check_options_go_to_the_system_check(args):
    assert is_system_check(args)


@pytest.mark.parametrize("args", [["稿件.txt"], ["-"], ["--format", "json", "a.docx"], ["--lexicon", "词库.txt", "a.html"]])
def test_files_go_to_the_content_checker(args):
    assert not is_system_check(args)


def test_check_deploy_runs_djangos_deploy_checks(settings, db, capsys):
    settings.SECURE_HSTS_SECONDS = 0
    with pytest.raises(SystemExit):
        main(["check", "--deploy", "--fail-level", "WARNING"])
    assert "security.W004" in capsys.readouterr().err


def test_check_with_a_file_runs_the_content_checker(tmp_path, capsys):
    draft = tmp_path / "稿件.txt"
    draft.write_text("今天天气很好。", encoding="utf-8")
    main(["check", str(draft)])
    assert "System check" not in capsys.readouterr().out


@pytest.mark.parametrize(("args", "probe"), [(["monitor", "probe", "https://example.cn/feed"], True),
                                             (["monitor", "probe", "--help"], True),
                                             (["monitor", "run"], False), (["monitor", "run", "--account", "3"], False),
                                             (["monitor"], False), (["probe", "monitor"], False)])
def test_only_monitor_probe_bypasses_django(args, probe):
    assert is_probe(args) is probe

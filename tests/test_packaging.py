"""What `make` installs: bounded dependencies, the exact versions of requirements.lock, PostgreSQL as an extra."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _requirements() -> list[Requirement]:
    extras = PROJECT["optional-dependencies"]
    return [Requirement(r) for r in PROJECT["dependencies"] + extras["dev"] + extras["postgres"]]


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_every_dependency_has_an_upper_bound():
    unbounded = [str(r) for r in _requirements() if not any(s.operator in ("<", "<=", "==", "~=") for s in r.specifier)]
    assert unbounded == []


def test_the_lock_file_pins_every_dependency_within_its_bounds():
    locked = _locked()
    for requirement in _requirements():
        version = locked.get(canonicalize_name(requirement.name))
        assert version is not None, f"{requirement.name} is missing from requirements.lock"
        assert requirement.specifier.contains(version), f"{requirement.name}=={version} breaks {requirement}"


def test_make_installs_with_the_lock_file_and_the_postgresql_extra():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"pip install .*-c requirements\.lock -e '\.\[dev,postgres\]'", makefile)


def test_the_postgresql_driver_is_an_extra_not_a_requirement():
    assert not [r for r in PROJECT["dependencies"] if r.startswith("psycopg")]
    assert [Requirement(r).name for r in PROJECT["optional-dependencies"]["postgres"]] == ["psycopg"]


def test_the_description_claims_no_feature_that_is_not_built_yet():
    for missing in ("先审后发", "留言办理", "持续监测", "月度检查"):
        assert missing not in PROJECT["description"]

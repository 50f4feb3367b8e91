"""The `govmedia` command.

`govmedia check PATH…` runs the content checker without touching Django or a database.
`govmedia check` alone, or with one of Django's own check options (`--deploy`, `--tag`, `--list-tags`,
`--fail-level`, `--database`), runs Django's system check instead.
`govmedia monitor probe URL…` reads feeds and runs the monitoring checks without Django or a database;
the other `govmedia monitor` subcommands (`run`) are Django's.
`govmedia ledger verify [--unit UNIT]` checks the review ledger's hash chains (a Django command: it reads the
database) and exits 1 naming the first entry edited, deleted or reordered.
Every other subcommand is a Django management command (`govmedia migrate`, `govmedia load_demo`, …).
"""

import os
import sys

DJANGO_CHECK_OPTIONS = ("--deploy", "--tag", "-t", "--list-tags", "--fail-level", "--database")


def is_system_check(args: list[str]) -> bool:
    """`govmedia check …` arguments meant for Django's system check rather than the content checker."""
    return not args or any(arg.split("=", 1)[0] in DJANGO_CHECK_OPTIONS for arg in args)


def is_probe(args: list[str]) -> bool:
    """`govmedia monitor probe …`: the database-free probe; other `monitor` subcommands are Django's."""
    return args[:2] == ["monitor", "probe"]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "check" and not is_system_check(argv[1:]):
        from govmedia.textcheck.cli import main as check_main

        return check_main(argv[1:])
    if is_probe(argv):
        from govmedia.monitoring.engine.probe import main as probe_main

        return probe_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govmedia.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["govmedia", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())

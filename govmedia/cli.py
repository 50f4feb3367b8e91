"""The `govmedia` command.

`govmedia check ...` runs the content checker without touching Django or a database;
every other subcommand is a Django management command (`govmedia migrate`, `govmedia load_demo`, …).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "check":
        from govmedia.textcheck.cli import main as check_main

        return check_main(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govmedia.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["govmedia", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())

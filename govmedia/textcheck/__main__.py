"""``python -m govmedia.textcheck [check] ...`` — the same as ``govmedia check ...``."""

import sys

from .cli import main

args = sys.argv[1:]
sys.exit(main(args[1:] if args[:1] == ["check"] else args))

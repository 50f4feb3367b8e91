import subprocess
import sys


def test_the_source_readers_run_without_django():
    # `govmedia monitor probe` reads feeds without a database or settings.
    code = ("import sys; import govmedia.monitoring.engine.feeds, govmedia.monitoring.engine.web; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)

    assert result.stdout.strip() == "[]"

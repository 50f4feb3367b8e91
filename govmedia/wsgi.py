import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govmedia.settings")
application = get_wsgi_application()

from govmedia.demo.checks import refuse_to_serve_with_demo_passwords  # noqa: E402  (needs Django set up)

refuse_to_serve_with_demo_passwords()

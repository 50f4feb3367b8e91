"""`govmedia load_demo`: load the demo district once, then print what it holds and how to log in."""

import time

from django.core.management.base import BaseCommand, CommandError

from govmedia.demo import loader


class Command(BaseCommand):
    help = "载入演示区数据（只载入一次；已载入时不做任何改动），并列出各角色的演示登录。"

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            loaded = loader.load_demo()
        except loader.DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        if loaded:
            self.stdout.write(self.style.SUCCESS(f"演示数据已载入（用时 {time.perf_counter() - started:.1f} 秒）："))
        else:
            self.stdout.write("演示数据已存在，未做任何改动。当前数据：")
        self.stdout.write("\n".join(loader.format_summary(loader.summarize())))
        self.stdout.write("")
        self.stdout.write("\n".join(loader.format_logins()))

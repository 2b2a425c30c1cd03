from typing import Any

from django.core.management.base import BaseCommand, CommandError

from functional_tests.server_state import FixturesDisabled, reset_database


class Command(BaseCommand):
    help = "Empty every data table, for the next functional test (staging servers only)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            reset_database()
        except FixturesDisabled as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write("database reset")

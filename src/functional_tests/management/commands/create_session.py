from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from functional_tests.server_state import FixturesDisabled, create_pre_authenticated_session


class Command(BaseCommand):
    help = "Print the key of a new session logged in as EMAIL (staging servers only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(create_pre_authenticated_session(options["email"]))
        except FixturesDisabled as refusal:
            raise CommandError(str(refusal)) from None

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from functional_tests.server_state import FixturesDisabled, expire_login_links


class Command(BaseCommand):
    help = "Make the login links sent to EMAIL expired (staging servers only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            expired = expire_login_links(options["email"])
        except FixturesDisabled as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(f"{expired} login link(s) expired")

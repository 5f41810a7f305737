import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the admin user with a random password, printed once; do nothing if one exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@localhost")
        parser.add_argument("--port", default="8000", help="Where the site will be served.")

    def handle(self, *args, username: str, email: str, port: str, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin user already exists; its password is unchanged.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created admin user “{username}” with password: {password}\n"
                f"It is shown only this once. Sign in at http://127.0.0.1:{port}/admin/"
            )
        )

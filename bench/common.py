"""What the benchmark scripts share: a scratch database (servers: ``tests.servers``)."""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def _admin(base: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(base)
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(sql)


class ScratchDatabase:
    """A PostgreSQL database next to ``base``'s, created empty and dropped afterwards."""

    def __init__(self, base: str, suffix: str) -> None:
        parts = urlsplit(base)
        self.base = base
        self.name = parts.path.lstrip("/") + suffix
        self.url = urlunsplit(parts._replace(path="/" + self.name))

    def create(self) -> str:
        self.drop()
        _admin(self.base, f'CREATE DATABASE "{self.name}"')
        return self.url

    def drop(self) -> None:
        _admin(self.base, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

"""What the benchmark scripts share: scratch databases, free ports, waiting for servers."""

import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port} after {timeout} s")


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


class RedisServer:
    """A redis-server of the benchmark's own, so it can be stopped mid-run."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_port(self.port)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

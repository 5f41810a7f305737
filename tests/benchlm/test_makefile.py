import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_serves_links_for_the_port_it_serves():
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8801"], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout
    assert "SITE_URL=http://127.0.0.1:8801 " in plan and "runserver 127.0.0.1:8801" in plan
    plan = subprocess.run(
        ["make", "-n", "run"],
        cwd=ROOT,
        env=env | {"SITE_URL": "https://benchlm.example"},
        capture_output=True,
        text=True,
    ).stdout
    assert "SITE_URL=https://benchlm.example " in plan

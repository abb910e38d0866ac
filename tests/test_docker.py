"""docker/: the compose file and the Dockerfile say what production needs.

No Docker engine runs here, so the image is not built; these checks read the
files. ``docker compose config`` runs when the docker client has the compose
plugin, and is skipped (saying so) otherwise.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

CHECKOUT = Path(__file__).parent.parent
DOCKER = CHECKOUT / "docker"
COMPOSE = DOCKER / "compose.yaml"
DOCKERFILE = DOCKER / "Dockerfile"
ENV = {"POSTGRES_PASSWORD": "compose-test-password", "SECRET_KEY": "s" * 40}


def _compose_client() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    return None


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


def stages() -> list[list[str]]:
    """The Dockerfile's instructions, split into stages (continuation lines joined)."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    found: list[list[str]] = []
    for line in lines:
        if line.upper().startswith("FROM "):
            found.append([])
        if found:
            found[-1].append(line)
    return found


@pytest.mark.skipif(_compose_client() is None, reason="the docker client's compose plugin is not installed here")
def test_docker_compose_config_accepts_the_file():
    env = {**os.environ, **ENV}
    result = subprocess.run([*_compose_client(), "-f", str(COMPOSE), "config", "--quiet"], capture_output=True,
                            text=True, env=env, cwd=CHECKOUT)
    assert result.returncode == 0, result.stderr
    missing = {k: v for k, v in os.environ.items() if k not in ENV}
    refused = subprocess.run([*_compose_client(), "-f", str(COMPOSE), "config", "--quiet"], capture_output=True,
                             text=True, env=missing, cwd=CHECKOUT)
    said = refused.stderr + refused.stdout
    assert refused.returncode != 0 and ("SECRET_KEY" in said or "POSTGRES_PASSWORD" in said), said


def test_compose_runs_postgresql_15_web_and_worker_with_health_checks(compose):
    services = compose["services"]
    assert {"db", "web", "worker", "setup"} <= set(services)
    assert re.fullmatch(r"postgres:15\.\d+(-\w+)?", services["db"]["image"]), "PostgreSQL 15, pinned"
    for name in ("db", "web", "worker"):
        assert services[name]["healthcheck"]["test"], f"{name} has a health check"
    assert "gunicorn" in services["web"]["command"] and "python:service.gunicorn_conf" in services["web"]["command"]
    assert services["worker"]["command"] == ["flask", "--app", "service", "worker"]
    assert services["setup"]["command"] == ["flask", "--app", "service", "setup"]
    assert services["setup"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["setup"]["condition"] == "service_completed_successfully"


def test_every_boundary_service_is_configured_for_production(compose):
    for name in ("setup", "web", "worker"):
        env = compose["services"][name]["environment"]
        assert env["BOUNDARY_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://") and "@db:5432/" in env["DATABASE_URL"]
        assert "${SECRET_KEY:?" in env["SECRET_KEY"], "no default secret: compose refuses to start without one"
        assert "DEMO" not in " ".join(env), "demo users stay off in production"
        assert compose["services"][name]["read_only"] is True


def test_the_image_is_pinned_small_and_runs_as_a_non_root_user():
    built = stages()
    assert len(built) >= 2, "build stages and a final stage"
    for stage in built:
        image = stage[0].split()[1]
        assert re.search(r":\d+\.\d+\.\d+-", image), f"{image} is pinned by exact version"
    final = built[-1]
    assert re.fullmatch(r"FROM python:3\.11\.\d+-slim-bookworm", final[0])
    users = [line.split()[1] for line in final if line.upper().startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}, "the final stage runs as a non-root user"
    final_text = "\n".join(final).lower()
    assert "npm" not in final_text and "node:" not in final_text.replace("node_modules", ""), "no Node in the image"
    for compiler in ("gcc", "build-essential", "g++", "make "):
        assert compiler not in final_text, f"no {compiler} in the final image"
    assert any(line.upper().startswith("HEALTHCHECK ") for line in final)
    node_stages = [s for s in built if s[0].split()[1].startswith("node:")]
    assert node_stages and any("npm ci" in line for line in node_stages[0])


def test_every_copied_path_exists_and_every_served_package_is_copied():
    from service.web.vendor import PACKAGES
    copied = []
    for stage in stages():
        for line in stage:
            parts = line.split()
            if parts[0].upper() != "COPY":
                continue
            args = [p for p in parts[1:] if not p.startswith("--")]
            sources = args[:-1]
            if any(p.startswith("--from=") for p in parts):
                copied.extend(source.removeprefix("/src/") for source in sources)
                continue
            for source in sources:
                folder = CHECKOUT / source
                if source in ("workflows", "forms") and not (folder.is_dir() and any(folder.iterdir())):
                    continue  # shipped diagrams and forms arrive with their own issue
                assert (CHECKOUT / source).exists(), f"COPY {source}: not in the checkout"
    for name, folder in PACKAGES.items():
        relative = folder.relative_to(CHECKOUT).as_posix()
        assert any(relative == source or relative.startswith(source + "/") for source in copied), \
            f"the image lacks {relative} ({name})"


def test_the_build_context_leaves_local_state_out():
    ignore = (DOCKER / "Dockerfile.dockerignore").read_text().splitlines()
    assert "**" in ignore, "everything is excluded unless listed"
    assert not any(line.startswith("!") and (".venv" in line or "instance" in line or "node_modules" in line)
                   for line in ignore)

"""deploy/: the compose file an operator starts, read as compose reads it (YAML with merge
keys), checked for what the production recipe promises: Redis with its append-only file,
PostgreSQL, the migration as a step that must finish before any worker starts, two workers
with health checks and no migration of their own, the proxy routing by readiness, and only
settings the bot knows; the database password kept out of the bot's environment file and
escaped into its URL; and the file valid against the Compose Specification's JSON schema
(the copy check-jsonschema ships, vendored from the compose-spec repository)."""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTING = re.compile(r"\bTAWASUL_[A-Z0-9_]+\b")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def workers(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("command", [])[:2] == ["tawasul", "run"]
    }


def test_redis_keeps_an_append_only_file_on_a_volume(compose: dict[str, Any]) -> None:
    redis = compose["services"]["redis"]
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert any(volume.endswith(":/data") for volume in redis["volumes"])
    assert "redis-cli" in redis["healthcheck"]["test"]


def test_postgres_keeps_its_data_on_a_volume_and_says_when_it_is_ready(
    compose: dict[str, Any],
) -> None:
    postgres = compose["services"]["postgres"]
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])
    assert "pg_isready" in postgres["healthcheck"]["test"]


def test_the_migration_is_a_one_shot_step(compose: dict[str, Any]) -> None:
    migrate = compose["services"]["migrate"]
    assert migrate["command"] == ["tawasul", "db", "upgrade"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["environment"]["TAWASUL_DATABASE_URL"].startswith("postgresql+asyncpg://")


def worker_count(service: dict[str, Any]) -> int:
    """The processes a `tawasul run [--workers N]` service runs."""
    command: list[str] = service["command"]
    return int(command[command.index("--workers") + 1]) if "--workers" in command else 1


def test_two_workers_start_after_the_migration_with_health_checks(
    compose: dict[str, Any],
) -> None:
    found = workers(compose)
    assert sum(worker_count(w) for w in found.values()) >= 2
    for name, worker in found.items():
        assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully", (
            name
        )
        assert worker["depends_on"]["redis"]["condition"] == "service_healthy", name
        assert worker["depends_on"]["postgres"]["condition"] == "service_healthy", name
        assert "/healthz" in " ".join(worker["healthcheck"]["test"]), name
        assert worker["restart"] == "unless-stopped", name
        env = worker["environment"]
        # the migration is the migrate service's step; workers do not race to do it
        assert env["TAWASUL_AUTO_MIGRATE"] == "false", name
        assert env["TAWASUL_REDIS_URL"].startswith("redis://redis:")
        assert env["TAWASUL_HTTP_HOST"] == "0.0.0.0"
        # the media store is shared: a photo one worker stored, another attaches
        assert f"media:{env['TAWASUL_DATA_DIR']}" in worker["volumes"], name
        assert worker["build"]["dockerfile"] == "deploy/Dockerfile"


def test_the_proxy_sends_the_webhooks_to_every_ready_worker(compose: dict[str, Any]) -> None:
    proxy = compose["services"]["proxy"]
    assert any(v.startswith("./Caddyfile:") for v in proxy["volumes"])
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    upstreams = re.search(r"reverse_proxy ([^{]+)\{", caddyfile)
    assert upstreams is not None
    port = workers(compose)[next(iter(workers(compose)))]["environment"]["TAWASUL_HTTP_PORT"]
    assert set(upstreams.group(1).split()) == {f"{name}:{port}" for name in workers(compose)}
    assert re.search(r"health_uri /readyz\b", caddyfile)
    assert "/telegram/webhook" in caddyfile and "/whatsapp/webhook" in caddyfile
    assert "/metrics" not in caddyfile.split("@webhooks", 1)[1].split("}", 1)[0]


@pytest.mark.parametrize("name", ["compose.yaml", "bot.env.example", "Dockerfile"])
def test_every_setting_deploy_uses_is_one_the_bot_reads(name: str) -> None:
    text = (DEPLOY / name).read_text()
    used = set(SETTING.findall(text))
    assert used, f"deploy/{name} names no TAWASUL_ setting"
    known = {"TAWASUL_" + field.upper() for field in Settings.model_fields}
    assert used - known == set()


def test_the_dockerfile_copies_what_the_bot_reads_at_run_time() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    # every package the project installs (pyproject.toml's list, not one written here: the
    # image lacked officers/, which bot/ imports, so `tawasul run` could not start in it),
    # and the Alembic scripts and catalogues found beside them
    with (ROOT / "pyproject.toml").open("rb") as f:
        found = tomllib.load(f)["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [name.removesuffix("*") for name in found]
    assert "officers" in packages and "bot" in packages
    for folder in (*packages, "migrations", "locales"):
        assert re.search(rf"^COPY {folder} {folder}$", dockerfile, re.MULTILINE), folder
    assert "pybabel compile" in dockerfile
    assert re.search(r"^USER (?!root)", dockerfile, re.MULTILINE)


def test_the_compose_file_is_valid_against_the_compose_specification(
    compose: dict[str, Any],
) -> None:
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.validate(compose, schema)  # raises, naming the path, when it is not
    # and it does catch a mistake (not a schema that takes anything)
    broken = {**compose, "services": {"bot": {**compose["services"]["bot"], "restart": 3}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def _interpolated(value: str, env: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:?message} and ${NAME:-default}, as compose fills them in."""

    def one(match: re.Match[str]) -> str:
        name, _, rest = match.group(1).partition(":")
        given = env.get(name, "")
        if given or not rest.startswith("-"):
            return given
        return rest[1:]

    return re.sub(r"\$\{([^}]*)\}", one, value)


def test_the_database_password_stays_out_of_the_bots_env_file_and_is_escaped(
    compose: dict[str, Any],
) -> None:
    """Issue 11: the bot's env_file was deploy/.env, so POSTGRES_PASSWORD reached its
    environment, and the password was pasted into the database URL unescaped: one with «@»
    or «/» made a URL naming another host."""
    password = "p@ss/w:rd%40#?"
    env = {"POSTGRES_PASSWORD": password, "PUBLIC_HOST": "bot.example.sa"}
    for name, service in compose["services"].items():
        if name in ("postgres", "proxy", "redis"):
            continue
        assert service["env_file"] != ".env", name  # compose's own file, with the password
        given = {k: _interpolated(str(v), env) for k, v in service["environment"].items()}
        assert "POSTGRES_PASSWORD" not in given, name
        assert password not in given["TAWASUL_DATABASE_URL"], name
        settings = Settings(
            database_url=given["TAWASUL_DATABASE_URL"],
            database_password=given["TAWASUL_DATABASE_PASSWORD"],
        )
        url = make_url(settings.sqlalchemy_url)
        assert (url.host, url.port, url.username, url.password) == (
            "postgres",
            5432,
            "tawasul",
            password,
        ), name
    bots_file = (DEPLOY / "bot.env.example").read_text()
    assert "POSTGRES_PASSWORD" not in bots_file and "PUBLIC_HOST" not in bots_file


def test_a_database_password_needs_a_postgresql_url_without_one() -> None:
    with pytest.raises(ValueError, match="PostgreSQL"):
        Settings(database_password="x")
    with pytest.raises(ValueError, match="password too"):
        Settings(database_url="postgresql+asyncpg://u:y@h/db", database_password="x")

"""Template databases: build the schema, the deploy and the demo users once, copy them per app.

Building a test database costs 1-3.5 s (``create_all``, parsing and validating
the BPMN, a scrypt hash for the demo users), and nearly every test builds one.
Each distinct starting point is now built once per test process and every app
gets its own copy, so tests stay as isolated as before:

- SQLite: the template file is copied to the test's ``tmp_path``;
- PostgreSQL: ``CREATE DATABASE ... TEMPLATE`` on the test server.

A template is keyed by everything its content depends on: the backend, the
bytes of the workflow and form files (deploy validation reads the forms) and
the frozen clock's time (stamped on the version and the users). With the clock
running there is no stable key, so ``make_app`` then builds from scratch.
Each copy's bundle cache is given its own unpickled copy of the template's
parsed BPMN (0.01 s instead of a 0.15 s parse). Never the same objects: running
a case can change the parsed specs it ran on (see docs/performance.md, #23), so
a bundle shared between tests would let one test change another's outcome.
"""
from __future__ import annotations

import hashlib
import pickle
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from service.engine import clock

_templates: dict[tuple, Template] = {}
_folder: Path | None = None


def _digest(folder: Path, pattern: str) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob(pattern)):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def template_key(database: str, workflows: Path, forms: Path) -> tuple | None:
    """The key of the template an app would start from, or None when it must be built fresh."""
    if database not in ("file", "postgres") or not clock.is_frozen():
        return None
    return database, _digest(workflows, "*.bpmn"), _digest(forms, "*.json"), clock.now().isoformat()


@dataclass
class Template:
    database: str
    url: str  # the template's own database; never opened by a test
    bundles: dict[int, bytes] = field(default_factory=dict)  # version id -> pickled ProcessBundle

    def copy_url(self, tmp_path: Path) -> str | None:
        """A fresh database holding the template's content, or None if ``tmp_path`` already has one
        (a second app in the same test then shares it, as before templates)."""
        if self.database == "file":
            target = tmp_path / "boundary.sqlite"
            if target.exists():
                return None
            shutil.copyfile(self.url.removeprefix("sqlite:///"), target)
            return f"sqlite:///{target}"
        from pg_server import server
        return server().new_database(template=self.url.rsplit("/", 1)[1])

    def give_bundles(self, app) -> None:
        """Fill the app's bundle cache with fresh copies of the template's parsed versions."""
        cache = app.extensions["boundary.bundles"]
        for version_id, pickled in self.bundles.items():
            cache.put(version_id, pickle.loads(pickled))


def template_for(key: tuple, build) -> Template:
    """The template for ``key``; ``build(url)`` fills a new database and returns its parsed bundles by version id."""
    template = _templates.get(key)
    if template is None:
        database = key[0]
        if database == "file":
            global _folder
            _folder = _folder or Path(tempfile.mkdtemp(prefix="boundary-templates-"))
            url = f"sqlite:///{_folder / f'template-{len(_templates)}.sqlite'}"
        else:
            from pg_server import server
            url = server().new_database()
        template = Template(database, url, {id_: pickle.dumps(bundle) for id_, bundle in build(url).items()})
        if database == "file":
            path = Path(url.removeprefix("sqlite:///"))
            assert not Path(f"{path}-wal").exists(), "the template's WAL was not checkpointed"
        _templates[key] = template
    return template


def remove_templates() -> None:
    """Delete the SQLite template files (PostgreSQL's go with the test server)."""
    _templates.clear()
    if _folder is not None:
        shutil.rmtree(_folder, ignore_errors=True)

"""What every domain call needs, passed explicitly instead of read from globals."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ...engine import ProcessBundle, fingerprint, load_bundle
from ...models import ProcessVersion
from ...models.session import Session as Session  # re-exported: domain modules import it from here
from .forms import FormStore

log = logging.getLogger(__name__)


class SpecChanged(RuntimeError):
    """A cached spec changed after it was parsed: a bug, since every case on the version shares it."""


class BundleCache:
    """Parsed specs per deployed version: parsed once, shared by every case on it.

    Nothing a case does may change them (``engine.spec_integrity``). With
    ``guard`` on, each use checks their fingerprint against the one taken when
    they were parsed: ``strict`` (every test) raises ``SpecChanged``; otherwise
    the change is logged and the version parsed afresh, so one bad run cannot
    change how later cases behave in this process.
    """

    def __init__(self, guard: bool = False, strict: bool = False):
        self._bundles: dict[int, ProcessBundle] = {}
        self._fingerprints: dict[int, str] = {}
        self._deep_fingerprints: dict[int, str] = {}
        self.guard, self.strict = guard, strict

    def get(self, version: ProcessVersion) -> ProcessBundle:
        bundle = self._bundles.get(version.id)
        if bundle is not None and self.guard and fingerprint(bundle) != self._fingerprints[version.id]:
            if self.strict:
                raise SpecChanged(f"The cached specs of process version {version.id} changed after parsing.")
            log.error("the cached specs of process version %s changed after parsing; parsing them again",
                      version.id)
            bundle = None
        if bundle is None:
            files = {name: text.encode("utf-8") for name, text in version.files.items()}
            bundle = load_bundle(files, main_process=version.process_id)
            self.put(version.id, bundle)
        return bundle

    def put(self, version_id: int, bundle: ProcessBundle) -> None:
        self._bundles[version_id] = bundle
        if self.guard:
            self._fingerprints[version_id] = fingerprint(bundle)
        if self.strict:
            self._deep_fingerprints[version_id] = fingerprint(bundle, deep=True)

    def verify_all(self) -> None:
        """Check every cached version now, deeply (the test suite's after-each-test check)."""
        for version_id, bundle in self._bundles.items():
            expected = self._deep_fingerprints.get(version_id)
            if expected is not None and fingerprint(bundle, deep=True) != expected:
                raise SpecChanged(f"The cached specs of process version {version_id} changed after parsing.")

    def clear(self) -> None:
        self._bundles.clear()
        self._fingerprints.clear()
        self._deep_fingerprints.clear()


@dataclass
class Context:
    """The first argument of every domain call: its unit of work and the shared stores."""

    session: Session
    forms: FormStore
    bundles: BundleCache
    settings: dict[str, Any] = field(default_factory=dict)

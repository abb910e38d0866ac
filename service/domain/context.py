"""What every domain call needs, passed explicitly instead of read from globals."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..engine import ProcessBundle, load_bundle
from ..models import ProcessVersion
from .forms import FormStore


class BundleCache:
    """Parsed specs per deployed version: parsed once, shared by every case on it."""

    def __init__(self):
        self._bundles: dict[int, ProcessBundle] = {}

    def get(self, version: ProcessVersion) -> ProcessBundle:
        bundle = self._bundles.get(version.id)
        if bundle is None:
            files = {name: text.encode("utf-8") for name, text in version.files.items()}
            bundle = load_bundle(files, main_process=version.process_id)
            self._bundles[version.id] = bundle
        return bundle

    def put(self, version_id: int, bundle: ProcessBundle) -> None:
        self._bundles[version_id] = bundle

    def clear(self) -> None:
        self._bundles.clear()


@dataclass
class Context:
    session: object
    forms: FormStore
    bundles: BundleCache
    settings: dict = field(default_factory=dict)

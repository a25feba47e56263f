"""Locating, checksumming and describing models under `models/` (or $EXTRACT_MODELS).

Every model lives in its own folder with a `manifest.json`:

    {"name": "tagger-fa-crf", "kind": "crf-tagger", "lang": "fa",
     "files": {"model.crfsuite": "<sha256>", ...}, ...}

Loading verifies every listed file's sha256, so a truncated or hand-edited model
fails loudly (E202) instead of tagging badly.  A missing model says what to run (E201).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ExtractError

MANIFEST = "manifest.json"


def models_dir() -> Path:
    """The models folder: $EXTRACT_MODELS, else `models/` at the project root."""
    env = os.environ.get("EXTRACT_MODELS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "models"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class ModelInfo:
    name: str
    path: Path
    manifest: dict = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """A short id of the model's content, for provenance (`model:NAME@DIGEST`)."""
        joined = "".join(f"{k}={v};" for k, v in sorted(self.manifest.get("files", {}).items()))
        return hashlib.sha256(joined.encode()).hexdigest()[:8]

    @property
    def source(self) -> str:
        return f"model:{self.name}@{self.digest}"

    def file(self, relative: str) -> Path:
        return self.path / relative


def write_manifest(path: Path, name: str, **extra: object) -> dict:
    """Checksum every file in `path` (except the manifest and the card) and write the manifest."""
    files = {
        str(p.relative_to(path)): sha256_file(p)
        for p in sorted(path.rglob("*"))
        if p.is_file() and p.name not in (MANIFEST, "MODEL_CARD.md")
    }
    manifest = {"name": name, **extra, "files": files}
    (path / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def load_model(name: str, directory: Path | None = None, verify: bool = True) -> ModelInfo:
    """Find model `name`, check its files against the manifest, and describe it."""
    root = Path(directory) if directory is not None else models_dir()
    path = root / name
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise ExtractError("E201", name=name, directory=str(root))
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExtractError("E202", name=name, directory=str(root), detail=f"unreadable manifest ({exc})") from exc
    if verify:
        for relative, expected in manifest.get("files", {}).items():
            file_path = path / relative
            if not file_path.is_file():
                raise ExtractError("E202", name=name, directory=str(root), detail=f"{relative} is missing")
            actual = sha256_file(file_path)
            if actual != expected:
                raise ExtractError(
                    "E202", name=name, directory=str(root),
                    detail=f"{relative} has sha256 {actual[:12]}…, the manifest says {expected[:12]}…",
                )
    return ModelInfo(name=name, path=path, manifest=manifest)

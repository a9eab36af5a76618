"""Pretrained image features for solution scripts, offline and without torch.

    from starling_zoo import image_features
    X = image_features(train_paths)          # numpy float32 (n, 1280), one row per image

The model is an ONNX file that `starling setup --zoo` converted once from torchvision's
ImageNet weights; it is run with onnxruntime on the CPU. Images get torchvision's ImageNet
preprocessing: RGB, short side resized to 256 (bilinear), centre crop 224, scaled to [0,1],
normalised with the ImageNet mean and std.

Environment:
- STARLING_ZOO_DIR: where `<model>.onnx` lives (default ~/.cache/starling/zoo).
- STARLING_ZOO_THREADS: onnxruntime threads (default: the CPUs this process may use).
- STARLING_ZOO_CACHE: the per-image disk cache (default .zoo_cache in the current folder).
  Entries are keyed by model, absolute path, file size and modification time, so a second call
  on the same images reads .npy files instead of running the model. A cache folder that cannot
  be written simply turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

__all__ = ["image_features", "image_logits", "preprocess", "model_path"]

IMAGENET_MEAN = np.array((0.485, 0.456, 0.406), dtype=np.float32)
IMAGENET_STD = np.array((0.229, 0.224, 0.225), dtype=np.float32)
RESIZE_TO = 256
INPUT_SIZE = 224
OUTPUTS = ("features", "logits")
PROGRESS_MIN_IMAGES = 100  # shorter lists finish too quickly to need progress lines

_sessions: dict[str, Any] = {}
_cache_warned = False


class ZooError(RuntimeError):
    """The zoo cannot produce features; the message says what to do about it."""


# --------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------

def model_path(model: str = "mobilenet_v2") -> Path:
    """Where the ONNX file of `model` is expected: `$STARLING_ZOO_DIR/<model>.onnx`."""
    folder = os.environ.get("STARLING_ZOO_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "starling", "zoo")
    return Path(folder) / f"{model}.onnx"


def _thread_count() -> int:
    configured = os.environ.get("STARLING_ZOO_THREADS", "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError:
            raise ZooError(f"STARLING_ZOO_THREADS is {configured!r}; set it to a whole number of threads") from None
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _session(model: str) -> Any:
    """The onnxruntime session of `model`, created once per process."""
    if model in _sessions:
        return _sessions[model]
    path = model_path(model)
    if not path.is_file():
        raise ZooError(f"the zoo model {model} is not installed ({path} is missing); run `starling setup --zoo`, "
                       "or point STARLING_ZOO_DIR at the folder holding it")
    try:
        import onnxruntime as ort
    except ImportError:
        raise ZooError("the Python package onnxruntime is missing; run `starling setup` "
                       "(or pip install onnxruntime)") from None
    options = ort.SessionOptions()
    options.intra_op_num_threads = _thread_count()
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own exception types
        raise ZooError(f"onnxruntime cannot load {path} ({str(error)[:200]}); delete it and run "
                       "`starling setup --zoo` again") from None
    _sessions[model] = session
    return session


# --------------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------------

def preprocess(path: str | os.PathLike) -> np.ndarray:
    """One image as the model's input: float32 (3, 224, 224), ImageNet-normalised.

    Matches torchvision's Resize(256) + CenterCrop(224) + ToTensor + Normalize on PIL images.
    - Raises: FileNotFoundError for a missing file, ValueError for one PIL cannot read.
    """
    from PIL import Image

    bilinear = getattr(Image, "Resampling", Image).BILINEAR
    try:
        with Image.open(path) as opened:
            image = opened.convert("RGB")
    except FileNotFoundError:
        raise FileNotFoundError(f"image {path} does not exist") from None
    except OSError as error:
        raise ValueError(f"image {path} cannot be read by PIL ({error}); check that it is an image file") from None
    image = image.resize(_resized_size(*image.size), bilinear)
    width, height = image.size
    left = int(round((width - INPUT_SIZE) / 2.0))
    top = int(round((height - INPUT_SIZE) / 2.0))
    image = image.crop((left, top, left + INPUT_SIZE, top + INPUT_SIZE))
    pixels = np.asarray(image, dtype=np.float32) / np.float32(255.0)
    return np.ascontiguousarray(((pixels - IMAGENET_MEAN) / IMAGENET_STD).transpose(2, 0, 1))


def _resized_size(width: int, height: int) -> tuple[int, int]:
    """The (width, height) whose short side is RESIZE_TO, as torchvision's Resize(int) computes it."""
    if width <= height:
        return RESIZE_TO, int(RESIZE_TO * height / width)
    return int(RESIZE_TO * width / height), RESIZE_TO


# --------------------------------------------------------------------------------------------
# Disk cache
# --------------------------------------------------------------------------------------------

def _cache_folder(model: str, enabled: bool) -> Path | None:
    """The writable cache folder of `model`, or None when caching is off or impossible."""
    global _cache_warned
    if not enabled:
        return None
    folder = Path(os.environ.get("STARLING_ZOO_CACHE") or ".zoo_cache") / model
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe"):
            pass
        return folder
    except OSError as error:
        if not _cache_warned:
            print(f"starling_zoo: cache {folder} is not writable ({error.strerror}); continuing without it",
                  file=sys.stderr)
            _cache_warned = True
        return None


def _cache_key(model: str, path: str | os.PathLike) -> str:
    """Names one image's cache entry by model, absolute path, size and modification time."""
    absolute = os.path.abspath(os.fspath(path))
    try:
        stat = os.stat(absolute)
    except FileNotFoundError:
        raise FileNotFoundError(f"image {path} does not exist") from None
    identity = f"{model}\0{absolute}\0{stat.st_size}\0{stat.st_mtime_ns}"
    return hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()


def _cache_read(folder: Path, key: str, output: str, width: int) -> np.ndarray | None:
    try:
        value = np.load(folder / f"{key}.{output}.npy", allow_pickle=False)
    except (OSError, ValueError):
        return None
    return value if value.shape == (width,) and value.dtype == np.float32 else None


def _cache_write(folder: Path, key: str, output: str, value: np.ndarray) -> None:
    """Writes one entry through a temporary file, so a reader never sees half of one."""
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp", suffix=".npy")
        with os.fdopen(handle, "wb") as stream:
            np.save(stream, value, allow_pickle=False)
        os.replace(temporary, folder / f"{key}.{output}.npy")
    except OSError:
        pass  # a full or read-only disk costs a recomputation later, nothing more


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------

def _outputs(paths: Sequence[str | os.PathLike], model: str, output: str, batch_size: int,
             cache: bool) -> np.ndarray:
    """`output` ("features" or "logits") for every path, from the cache where possible."""
    if batch_size < 1:
        raise ValueError(f"batch_size is {batch_size}; give a positive number of images per batch")
    session = _session(model)
    width = _output_width(session, output)
    result = np.empty((len(paths), width), dtype=np.float32)
    folder = _cache_folder(model, cache)
    keys = [_cache_key(model, p) if folder is not None else "" for p in paths]
    missing = []
    for i, key in enumerate(keys):
        cached = _cache_read(folder, key, output, width) if folder is not None else None
        if cached is None:
            missing.append(i)
        else:
            result[i] = cached
    progress = _Progress(len(missing), model)
    for start in range(0, len(missing), batch_size):
        chunk = missing[start:start + batch_size]
        batch = np.stack([preprocess(paths[i]) for i in chunk])
        values = dict(zip(OUTPUTS, session.run(list(OUTPUTS), {"image": batch})))
        for row, i in enumerate(chunk):
            result[i] = values[output][row]
            if folder is not None:
                for name in OUTPUTS:
                    _cache_write(folder, keys[i], name, np.ascontiguousarray(values[name][row], dtype=np.float32))
        progress.advance(len(chunk))
    return result


def _output_width(session: Any, output: str) -> int:
    for described in session.get_outputs():
        if described.name == output:
            return int(described.shape[-1])
    raise ZooError(f"the zoo model has no output {output!r}; delete it and run `starling setup --zoo` again")


class _Progress:
    """Prints `done/total` to stderr about every 10% of a long list."""

    def __init__(self, total: int, model: str) -> None:
        self.total, self.model, self.done, self.next_report = total, model, 0, max(1, total // 10)

    def advance(self, count: int) -> None:
        self.done += count
        if self.total < PROGRESS_MIN_IMAGES or (self.done < self.next_report and self.done < self.total):
            return
        print(f"starling_zoo: {self.model} {self.done}/{self.total} images ({100 * self.done // self.total}%)",
              file=sys.stderr, flush=True)
        while self.next_report <= self.done:
            self.next_report += max(1, self.total // 10)


def _as_list(paths: Iterable[str | os.PathLike] | str | os.PathLike) -> list[str | os.PathLike]:
    if isinstance(paths, (str, os.PathLike)):
        raise TypeError("image_features takes a list of image paths; wrap a single path in a list")
    return list(paths)


def image_features(paths: Iterable[str | os.PathLike], model: str = "mobilenet_v2", batch_size: int = 32,
                   cache: bool = True) -> np.ndarray:
    """Pretrained features of images: the model's pooled penultimate layer.

    - Parameter paths: image files (any format PIL reads; converted to RGB).
    - Parameter model: a zoo model installed by `starling setup --zoo`.
    - Parameter batch_size: images per onnxruntime call.
    - Parameter cache: reuse and write the per-image disk cache ($STARLING_ZOO_CACHE).
    - Returns: float32 array (len(paths), 1280) for mobilenet_v2, rows in the order of paths.
    - Raises: ZooError when the model is not installed; FileNotFoundError / ValueError naming
      an image that is missing or unreadable.
    """
    return _outputs(_as_list(paths), model, "features", batch_size, cache)


def image_logits(paths: Iterable[str | os.PathLike], model: str = "mobilenet_v2", batch_size: int = 32,
                 cache: bool = True) -> np.ndarray:
    """The model's 1000 ImageNet-1k class logits per image (before softmax); see image_features."""
    return _outputs(_as_list(paths), model, "logits", batch_size, cache)

"""Convert pretrained PyTorch weights to ONNX without PyTorch, and check the result.

Starling runs this once per model (`starling setup --zoo`) with the solution environment's
interpreter, which has numpy, onnx and onnxruntime but not torch:

    python zoo_convert.py --model mobilenet_v2 --weights IN.pth --out OUT.onnx
    python zoo_convert.py --check OUT.onnx --model mobilenet_v2
    python zoo_convert.py --check ZOO/minilm_l6.onnx --model minilm_l6            (installed as is)
    python zoo_convert.py --check ZOO/whisper_tiny_en/model.bin --model whisper_tiny_en

Models installed as they come (the text and audio ones) are only checked: a known sentence or
a known synthetic sound goes through `starling_zoo` (beside this file), exactly as solution
scripts call it, and the result is compared with `checks.json`.

Conversion prints one JSON line ({"model", "out", "output_dim", "input_size", "onnx_sha256"});
the check runs a known input through the ONNX model and compares it with `checks.json`
(next to this file). On any problem either prints one line to stderr saying what to fix and
exits 1.

The `.pth` reader understands both of PyTorch's formats: the zip archive (`<prefix>/data.pkl`
plus raw storages `<prefix>/data/<key>`, torch >= 1.6) and the older "legacy" stream of
pickles followed by raw storages, which torchvision's 2019 MobileNetV2 file uses. Its
unpickler maps only the few globals a state dict needs (OrderedDict, _rebuild_tensor_v2, the
Storage types) and refuses every other one, so a weight file cannot run code.

The ONNX graph is written out by hand with `onnx.helper`; BatchNorm is folded into the
convolutions. Output is deterministic: the same weights give a byte-identical file.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import json
import os
import pickle
import struct
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

CHECKS_FILE = Path(__file__).resolve().parent / "checks.json"
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
INPUT_SIZE = 224
BATCH_NORM_EPS = 1e-5  # torch.nn.BatchNorm2d's default, which torchvision's MobileNetV2 keeps
ONNX_OPSET = 13
ONNX_IR_VERSION = 8  # old enough for any onnxruntime >= 1.10 to load
CHECK_TOLERANCE = 1e-4


class ConvertError(Exception):
    """A problem with the input or environment, worded as what the user should fix."""


# --------------------------------------------------------------------------------------------
# Reading a .pth checkpoint without torch
# --------------------------------------------------------------------------------------------

_STORAGE_DTYPES: dict[str, np.dtype] = {
    "FloatStorage": np.dtype("<f4"),
    "DoubleStorage": np.dtype("<f8"),
    "HalfStorage": np.dtype("<f2"),
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"),
    "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"),
    "BoolStorage": np.dtype("?"),
}
_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_LEGACY_PROTOCOL = 1001


@dataclass(frozen=True)
class _StorageType:
    """Stands in for `torch.FloatStorage` and friends: only the element type matters."""

    name: str
    dtype: np.dtype


@dataclass
class _Storage:
    """One raw storage of the checkpoint; `data` is filled once its bytes have been read."""

    key: str
    dtype: np.dtype
    numel: int
    data: np.ndarray | None = None


@dataclass(frozen=True)
class _TensorRef:
    """A tensor as the pickle describes it: a strided view into a storage."""

    storage: _Storage
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor_v2(storage: Any, storage_offset: Any, size: Any, stride: Any,
                       requires_grad: Any = False, backward_hooks: Any = None,
                       metadata: Any = None) -> _TensorRef:
    """Replaces `torch._utils._rebuild_tensor_v2`: records the view, reads nothing yet."""
    if not isinstance(storage, _Storage):
        raise ConvertError("the weight file's tensors do not point at storages; it is not a plain "
                           "PyTorch state dict (save it with torch.save(model.state_dict(), path))")
    return _TensorRef(storage, int(storage_offset), tuple(int(d) for d in size),
                      tuple(int(s) for s in stride))


class _CheckpointUnpickler(pickle.Unpickler):
    """An unpickler that knows only what a state dict is made of and refuses everything else."""

    def __init__(self, stream: io.BufferedIOBase, persistent: Callable[[Any], _Storage] | None = None) -> None:
        super().__init__(stream)
        self._persistent = persistent

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor_v2
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(name, _STORAGE_DTYPES[name])
        raise ConvertError(f"the weight file's pickle needs {module}.{name}, which a plain state dict "
                           "never does; refusing to load it (use the state dict of a torchvision model "
                           "saved with torch.save(model.state_dict(), path))")

    def persistent_load(self, pid: Any) -> _Storage:
        if self._persistent is None:
            raise ConvertError("the weight file holds a storage reference where none belongs; the file is damaged")
        return self._persistent(pid)


def _storage_from_pid(pid: Any, storages: dict[str, _Storage]) -> _Storage:
    """Resolves a persistent id ('storage', type, key, location, numel[, view]) to a storage."""
    if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage"):
        raise ConvertError(f"the weight file holds an unknown persistent reference {str(pid)[:80]}; "
                           "it is not a PyTorch state dict")
    storage_type, key, numel = pid[1], str(pid[2]), int(pid[4])
    if not isinstance(storage_type, _StorageType):
        raise ConvertError(f"storage {key} of the weight file has no known element type")
    view = pid[5] if len(pid) > 5 else None
    if view is not None:
        raise ConvertError(f"storage {key} of the weight file is a storage view, which this converter "
                           "does not read; re-save the weights with a recent torch.save")
    storage = storages.get(key)
    if storage is None:
        storage = storages[key] = _Storage(key, storage_type.dtype, numel)
    return storage


def _materialise(name: str, ref: Any) -> np.ndarray:
    """Turns one tensor reference into a contiguous numpy array, checking it stays in bounds."""
    if not isinstance(ref, _TensorRef):
        raise ConvertError(f"entry {name!r} of the weight file is a {type(ref).__name__}, not a tensor")
    data = ref.storage.data
    if data is None:
        raise ConvertError(f"the data of tensor {name!r} is missing from the weight file; the file is truncated")
    if any(d < 0 for d in ref.size) or any(s < 0 for s in ref.stride) or len(ref.size) != len(ref.stride):
        raise ConvertError(f"tensor {name!r} has an impossible shape {ref.size} / strides {ref.stride}")
    if 0 in ref.size:
        return np.zeros(ref.size, dtype=data.dtype)
    last = ref.offset + sum((d - 1) * s for d, s in zip(ref.size, ref.stride))
    if ref.offset < 0 or last >= data.size:
        raise ConvertError(f"tensor {name!r} reaches past the end of its storage; the weight file is damaged")
    itemsize = data.dtype.itemsize
    view = np.lib.stride_tricks.as_strided(data[ref.offset:], shape=ref.size,
                                           strides=tuple(s * itemsize for s in ref.stride), writeable=False)
    return np.array(view, order="C")  # not ascontiguousarray, which turns 0-d tensors into 1-d


def _state_dict_of(root: Any) -> dict[str, np.ndarray]:
    """The checkpoint's top object as {name: array}; a {'state_dict': ...} wrapper is unwrapped."""
    if isinstance(root, dict) and "state_dict" in root and isinstance(root["state_dict"], dict):
        root = root["state_dict"]
    if not isinstance(root, dict):
        raise ConvertError(f"the weight file holds a {type(root).__name__}, not a state dict")
    return {str(name): _materialise(str(name), ref) for name, ref in root.items()}


def _read_zip_checkpoint(archive: zipfile.ZipFile) -> Any:
    """Reads torch >= 1.6's zip format: `<prefix>/data.pkl` plus `<prefix>/data/<key>` storages."""
    pickles = [n for n in archive.namelist() if n == "data.pkl" or n.endswith("/data.pkl")]
    if len(pickles) != 1:
        inner = [n for n in archive.namelist() if n.endswith((".pth", ".pt"))]
        hint = f"; it holds {inner[0]}: extract that and convert it" if inner else ""
        raise ConvertError("the weight file is a zip but not a PyTorch checkpoint (no single "
                           f"<prefix>/data.pkl, found {len(pickles)}){hint}")
    prefix = pickles[0][: -len("data.pkl")]
    byteorder = prefix + "byteorder"
    if byteorder in archive.namelist() and archive.read(byteorder).strip() != b"little":
        raise ConvertError("the weight file was saved on a big-endian machine; re-save it on a little-endian one")
    storages: dict[str, _Storage] = {}
    unpickler = _CheckpointUnpickler(io.BytesIO(archive.read(pickles[0])),
                                     lambda pid: _storage_from_pid(pid, storages))
    root = unpickler.load()
    for key, storage in storages.items():
        member = f"{prefix}data/{key}"
        try:
            raw = archive.read(member)
        except KeyError:
            raise ConvertError(f"the weight file lacks storage {member}; the archive is incomplete") from None
        if len(raw) < storage.numel * storage.dtype.itemsize:
            raise ConvertError(f"storage {member} holds {len(raw)} bytes, fewer than its tensors need")
        storage.data = np.frombuffer(raw, dtype=storage.dtype, count=storage.numel)
    return root


def _read_legacy_checkpoint(stream: io.BufferedIOBase) -> Any:
    """Reads the pre-1.6 format: magic, protocol, sys info and object pickles, storage keys, raw data."""
    storages: dict[str, _Storage] = {}

    def next_pickle(with_storages: bool = False) -> Any:
        resolve = (lambda pid: _storage_from_pid(pid, storages)) if with_storages else None
        return _CheckpointUnpickler(stream, resolve).load()

    try:
        magic = next_pickle()
    except (pickle.UnpicklingError, EOFError, ValueError) as error:
        raise ConvertError(f"the weight file is neither a zip nor a legacy PyTorch file ({error})") from None
    if magic != _LEGACY_MAGIC:
        raise ConvertError("the weight file is neither a zip archive nor a legacy PyTorch file; "
                           "download the .pth again")
    protocol = next_pickle()
    if protocol != _LEGACY_PROTOCOL:
        raise ConvertError(f"the weight file uses legacy protocol {protocol}, expected {_LEGACY_PROTOCOL}")
    sys_info = next_pickle()
    if isinstance(sys_info, dict) and sys_info.get("little_endian") is False:
        raise ConvertError("the weight file was saved on a big-endian machine; re-save it on a little-endian one")
    root = next_pickle(with_storages=True)
    keys = next_pickle()
    for key in keys:
        storage = storages.get(str(key))
        if storage is None:
            raise ConvertError(f"the weight file lists storage {key} that no tensor uses; the file is damaged")
        _read_legacy_storage(stream, storage)
    return root


def _read_legacy_storage(stream: io.BufferedIOBase, storage: _Storage) -> None:
    """Reads one legacy storage: an int64 element count, then the raw little-endian elements."""
    head = stream.read(8)
    if len(head) != 8:
        raise ConvertError(f"the weight file ends before storage {storage.key}; the download is truncated")
    (numel,) = struct.unpack("<q", head)
    if numel != storage.numel:
        raise ConvertError(f"storage {storage.key} holds {numel} elements but its header says "
                           f"{storage.numel}; the file is damaged")
    nbytes = numel * storage.dtype.itemsize
    raw = stream.read(nbytes)
    if len(raw) != nbytes:
        raise ConvertError(f"the weight file ends inside storage {storage.key}; the download is truncated")
    storage.data = np.frombuffer(raw, dtype=storage.dtype)


def read_state_dict(path: Path) -> dict[str, np.ndarray]:
    """Reads a PyTorch `.pth` state dict (zip or legacy format) into numpy arrays, without torch.

    - Parameter path: the weight file.
    - Returns: {parameter name: contiguous array}, in the file's order.
    - Raises: ConvertError when the file is missing, is not a PyTorch checkpoint, or needs
      anything beyond tensors, storages and an OrderedDict.
    """
    if not path.is_file():
        raise ConvertError(f"weight file {path} does not exist; run `starling setup --zoo` to download it")
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                root = _read_zip_checkpoint(archive)
        else:
            with open(path, "rb") as stream:
                root = _read_legacy_checkpoint(stream)
    except (pickle.UnpicklingError, EOFError, zipfile.BadZipFile, struct.error, ValueError, TypeError) as error:
        raise ConvertError(f"{path} is not a readable PyTorch checkpoint ({type(error).__name__}: {error}); "
                           "download it again") from None
    return _state_dict_of(root)


# --------------------------------------------------------------------------------------------
# MobileNetV2 as an ONNX graph
# --------------------------------------------------------------------------------------------

# torchvision's inverted residual settings: expansion t, output channels c, repeats n, stride s.
MOBILENET_V2_SETTINGS = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                         (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))
MOBILENET_V2_STEM = 32
MOBILENET_V2_FEATURES = 1280
IMAGENET_CLASSES = 1000


def fold_batch_norm(weight: np.ndarray, gamma: np.ndarray, beta: np.ndarray, mean: np.ndarray,
                    var: np.ndarray, eps: float = BATCH_NORM_EPS) -> tuple[np.ndarray, np.ndarray]:
    """Folds an inference-mode BatchNorm into the bias-free convolution before it.

    BN(conv(x)) = gamma * (W*x - mean) / sqrt(var + eps) + beta = (s W)*x + (beta - s mean)
    with s = gamma / sqrt(var + eps); computed in float64 so folding adds no rounding of its own.
    - Returns: the folded float32 weight (same shape) and float32 bias (out channels).
    """
    scale = gamma.astype(np.float64) / np.sqrt(var.astype(np.float64) + eps)
    folded = weight.astype(np.float64) * scale.reshape(-1, *([1] * (weight.ndim - 1)))
    bias = beta.astype(np.float64) - mean.astype(np.float64) * scale
    return folded.astype(np.float32), bias.astype(np.float32)


class _GraphBuilder:
    """Accumulates ONNX nodes and initializers, taking weights from a state dict by name.

    Every weight it takes is checked against the shape the architecture needs and marked used,
    so after building, the names left over show a state dict of another model.
    """

    def __init__(self, state: dict[str, np.ndarray]) -> None:
        from onnx import helper, numpy_helper

        self._helper, self._numpy_helper = helper, numpy_helper
        self.state = state
        self.used: set[str] = set()
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._constant("clip_min", np.array(0.0, dtype=np.float32))
        self._constant("clip_max", np.array(6.0, dtype=np.float32))

    def take(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """The state dict entry `name`, which must have `shape`."""
        if name not in self.state:
            raise ConvertError(f"the weight file lacks {name}; it is not torchvision's mobilenet_v2 state dict")
        value = self.state[name]
        if tuple(value.shape) != shape:
            raise ConvertError(f"{name} has shape {tuple(value.shape)}, expected {shape}; the weight file is "
                               "not torchvision's mobilenet_v2 (width 1.0, 1000 classes)")
        self.used.add(name)
        return value

    def _constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(self._numpy_helper.from_array(value, name))
        return name

    def conv_bn(self, x: str, prefix: str, bn: str, cin: int, cout: int, kernel: int, stride: int,
                groups: int, relu6: bool) -> str:
        """Conv (weights `prefix`.weight) with the BatchNorm `bn` folded in, then optionally ReLU6."""
        weight = self.take(f"{prefix}.weight", (cout, cin // groups, kernel, kernel))
        bn_params = [self.take(f"{bn}.{p}", (cout,)) for p in ("weight", "bias", "running_mean", "running_var")]
        folded, bias = fold_batch_norm(weight, *bn_params)
        pad = (kernel - 1) // 2
        out = f"{prefix}.out"
        self.nodes.append(self._helper.make_node(
            "Conv", [x, self._constant(f"{prefix}.weight", folded), self._constant(f"{prefix}.bias", bias)],
            [out], name=prefix, kernel_shape=[kernel, kernel], strides=[stride, stride],
            pads=[pad, pad, pad, pad], group=groups, dilations=[1, 1]))
        if not relu6:
            return out
        clipped = f"{prefix}.relu6"
        self.nodes.append(self._helper.make_node("Clip", [out, "clip_min", "clip_max"], [clipped], name=clipped))
        return clipped

    def node(self, op: str, inputs: list[str], output: str, **attributes: Any) -> str:
        self.nodes.append(self._helper.make_node(op, inputs, [output], name=output, **attributes))
        return output


def _inverted_residual(g: _GraphBuilder, x: str, index: int, cin: int, cout: int, stride: int,
                       expansion: int) -> str:
    """torchvision's InvertedResidual `features.<index>`: [1x1 expand], 3x3 depthwise, 1x1 project."""
    base = f"features.{index}.conv"
    hidden = cin * expansion
    h, layer = x, 0
    if expansion != 1:
        h = g.conv_bn(h, f"{base}.0.0", f"{base}.0.1", cin, hidden, 1, 1, 1, relu6=True)
        layer = 1
    h = g.conv_bn(h, f"{base}.{layer}.0", f"{base}.{layer}.1", hidden, hidden, 3, stride, hidden, relu6=True)
    h = g.conv_bn(h, f"{base}.{layer + 1}", f"{base}.{layer + 2}", hidden, cout, 1, 1, 1, relu6=False)
    if stride == 1 and cin == cout:
        h = g.node("Add", [x, h], f"features.{index}.residual")
    return h


def build_mobilenet_v2(state: dict[str, np.ndarray]) -> Any:
    """The ONNX model of torchvision's MobileNetV2 with `state`'s weights.

    Input `image` float32 [N,3,224,224], already ImageNet-normalised; outputs `features`
    [N,1280] (after global average pooling) and `logits` [N,1000] (classifier.1).
    - Raises: ConvertError when a weight is missing, has the wrong shape, or is left unused.
    """
    from onnx import TensorProto, helper

    g = _GraphBuilder(state)
    x = g.conv_bn("image", "features.0.0", "features.0.1", 3, MOBILENET_V2_STEM, 3, 2, 1, relu6=True)
    channels, index = MOBILENET_V2_STEM, 1
    for expansion, cout, repeats, stride in MOBILENET_V2_SETTINGS:
        for repeat in range(repeats):
            x = _inverted_residual(g, x, index, channels, cout, stride if repeat == 0 else 1, expansion)
            channels, index = cout, index + 1
    x = g.conv_bn(x, f"features.{index}.0", f"features.{index}.1", channels, MOBILENET_V2_FEATURES, 1, 1, 1,
                  relu6=True)
    pooled = g.node("GlobalAveragePool", [x], "pooled")
    features = g.node("Flatten", [pooled], "features", axis=1)
    weight = g.take("classifier.1.weight", (IMAGENET_CLASSES, MOBILENET_V2_FEATURES))
    bias = g.take("classifier.1.bias", (IMAGENET_CLASSES,))
    g.node("Gemm", [features, g._constant("classifier.1.weight", weight.astype(np.float32)),
                    g._constant("classifier.1.bias", bias.astype(np.float32))], "logits", transB=1)
    _refuse_unused(state, g.used)
    graph = helper.make_graph(
        g.nodes, "mobilenet_v2",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, INPUT_SIZE, INPUT_SIZE])],
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", MOBILENET_V2_FEATURES]),
         helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", IMAGENET_CLASSES])],
        initializer=g.initializers)
    model = helper.make_model(graph, producer_name="starling-zoo_convert", producer_version="1",
                              opset_imports=[helper.make_opsetid("", ONNX_OPSET)])
    model.ir_version = ONNX_IR_VERSION
    model.doc_string = ("torchvision MobileNetV2 (ImageNet-1k), BatchNorm folded. Input: RGB 224x224 "
                        f"scaled to [0,1], normalised with mean {IMAGENET_MEAN} std {IMAGENET_STD}, NCHW.")
    return model


def _refuse_unused(state: dict[str, np.ndarray], used: set[str]) -> None:
    """Fails when the state dict holds weights the graph did not use (another architecture)."""
    unused = sorted(n for n in state if n not in used and not n.endswith("num_batches_tracked"))
    if unused:
        shown = ", ".join(unused[:5]) + (" ..." if len(unused) > 5 else "")
        raise ConvertError(f"the weight file has entries mobilenet_v2 does not use ({len(unused)}: {shown}); "
                           "it is not torchvision's mobilenet_v2 state dict")


BUILDERS: dict[str, Callable[[dict[str, np.ndarray]], Any]] = {"mobilenet_v2": build_mobilenet_v2}
OUTPUT_DIMS = {"mobilenet_v2": MOBILENET_V2_FEATURES}


# --------------------------------------------------------------------------------------------
# Conversion and check
# --------------------------------------------------------------------------------------------

def _import_onnx() -> Any:
    """The onnx module, or a ConvertError saying how to install it."""
    try:
        import onnx
        return onnx
    except ImportError:
        raise ConvertError("the Python package onnx is not installed in this interpreter; run "
                           "`starling setup` (or pip install onnx onnxruntime)") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_atomically(path: Path, data: bytes) -> None:
    """Writes `data` to a temporary file beside `path`, then renames it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_current_umask())  # mkstemp makes 0600; others may read a model
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def convert(model: str, weights: Path, out: Path) -> dict[str, Any]:
    """Converts `weights` of `model` to ONNX at `out`; returns the JSON record to print."""
    if model not in BUILDERS:
        raise ConvertError(f"unknown model {model!r}; this converter knows {', '.join(sorted(BUILDERS))}")
    onnx = _import_onnx()
    state = read_state_dict(weights)
    proto = BUILDERS[model](state)
    try:
        onnx.checker.check_model(proto)
    except onnx.checker.ValidationError as error:
        raise ConvertError(f"the ONNX graph built for {model} is invalid ({str(error)[:200]}); "
                           "this is a bug in zoo_convert.py") from None
    try:
        _write_atomically(out, proto.SerializeToString(deterministic=True))
    except OSError as error:
        raise ConvertError(f"cannot write {out} ({error.strerror}); choose a writable --out") from None
    return {"model": model, "out": str(out), "output_dim": OUTPUT_DIMS[model], "input_size": INPUT_SIZE,
            "onnx_sha256": sha256_of(out)}


def known_image() -> np.ndarray:
    """The deterministic 224x224 RGB test image (uint8, HWC) the checks are recorded on."""
    y, x = np.mgrid[0:224, 0:224]
    return np.stack([x * 255 // 223, y * 255 // 223, (x + y) * 255 // 446], axis=-1).astype(np.uint8)


KNOWN_IMAGE_EXPRESSION = ("y, x = np.mgrid[0:224, 0:224]; image = np.stack([x * 255 // 223, y * 255 // 223, "
                          "(x + y) * 255 // 446], axis=-1).astype(np.uint8)")


def known_tensor() -> np.ndarray:
    """`known_image()` as the model's input: [0,1], ImageNet-normalised, float32 [1,3,224,224]."""
    scaled = known_image().astype(np.float32) / np.float32(255.0)
    normalised = (scaled - np.array(IMAGENET_MEAN, dtype=np.float32)) / np.array(IMAGENET_STD, dtype=np.float32)
    return np.ascontiguousarray(normalised.transpose(2, 0, 1)[None], dtype=np.float32)


def _run_known_input(onnx_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Runs the known input through the ONNX model on one thread; returns (features, logits)."""
    try:
        import onnxruntime as ort
    except ImportError:
        raise ConvertError("the Python package onnxruntime is not installed in this interpreter; run "
                           "`starling setup` (or pip install onnxruntime)") from None
    if not onnx_path.is_file():
        raise ConvertError(f"{onnx_path} does not exist; convert the model first (--weights ... --out ...)")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    try:
        session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        features, logits = session.run(["features", "logits"], {"image": known_tensor()})
    except Exception as error:  # onnxruntime raises its own exception types
        raise ConvertError(f"onnxruntime cannot run {onnx_path} ({str(error)[:200]}); convert it again") from None
    return features[0].astype(np.float64), logits[0].astype(np.float64)


def record_of(features: np.ndarray, logits: np.ndarray) -> dict[str, Any]:
    """What checks.json keeps of one known-input run."""
    top5 = [int(i) for i in np.argsort(-logits, kind="stable")[:5]]
    return {"features_first8": [round(float(v), 7) for v in features[:8]],
            "features_l2": round(float(np.linalg.norm(features)), 6),
            "top5": top5,
            "top5_logits": [round(float(logits[i]), 6) for i in top5]}


def _differences(expected: dict[str, Any], actual: dict[str, Any], logits: np.ndarray) -> list[str]:
    """Ways `actual` differs from `expected` by more than CHECK_TOLERANCE (relative above 1)."""
    def close(a: float, b: float) -> bool:
        return abs(a - b) <= CHECK_TOLERANCE * max(1.0, abs(b))

    problems = []
    for i, (a, b) in enumerate(zip(actual["features_first8"], expected["features_first8"])):
        if not close(a, b):
            problems.append(f"feature {i} is {a:.6f}, expected {b:.6f}")
    if not close(actual["features_l2"], expected["features_l2"]):
        problems.append(f"feature L2 norm is {actual['features_l2']:.6f}, expected {expected['features_l2']:.6f}")
    for index, value in zip(expected["top5"], expected["top5_logits"]):
        if not close(float(logits[index]), value):
            problems.append(f"logit {index} is {float(logits[index]):.6f}, expected {value:.6f}")
    if set(actual["top5"]) != set(expected["top5"]):
        problems.append(f"top-5 classes are {actual['top5']}, expected {expected['top5']}")
    return problems


def _load_checks(checks_path: Path) -> dict[str, Any]:
    try:
        return json.loads(checks_path.read_text())
    except FileNotFoundError:
        raise ConvertError(f"{checks_path} is missing; reinstall Starling (it ships with zoo_convert.py)") from None
    except json.JSONDecodeError as error:
        raise ConvertError(f"{checks_path} is not valid JSON ({error}); reinstall Starling") from None


KNOWN_SENTENCE = "Starling checks its model zoo with this sentence."
KNOWN_SOUND = "one second at 16 kHz of 0.5 * sin(2 pi (200 t + 900 t^2)): a chirp from 200 to 2,000 Hz"
VECTOR_TOLERANCE = 2e-3  # int8 and CTranslate2 kernels differ a little between CPUs; a wrong model differs by far more


def known_sound() -> np.ndarray:
    t = np.arange(16_000, dtype=np.float64) / 16_000
    return (0.5 * np.sin(2 * np.pi * (200 * t + 900 * t * t))).astype(np.float32)


def _known_vector(path: Path, model: str) -> np.ndarray | None:
    """The helper's output for the known input of a model installed as is; None for converted models."""
    if model not in ("minilm_l6", "whisper_tiny_en"):
        return None
    if not path.is_file():
        raise ConvertError(f"{path} does not exist; install the model first (starling setup --zoo)")
    folder = path.parent if model == "minilm_l6" else path.parent.parent
    os.environ["STARLING_ZOO_DIR"] = str(folder)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import starling_zoo

    try:
        if model == "minilm_l6":
            return starling_zoo.text_embeddings([KNOWN_SENTENCE], model=model, cache=False)[0].astype(np.float64)
        return starling_zoo.encode_sound(known_sound(), model=model).astype(np.float64)
    except starling_zoo.ZooError as error:
        raise ConvertError(str(error)) from None
    except Exception as error:  # the runtimes raise their own exception types
        raise ConvertError(f"{model} cannot run ({str(error)[:200]}); install it again with starling setup --zoo") from None


def _vector_record(vector: np.ndarray) -> dict[str, Any]:
    return {"first8": [round(float(v), 6) for v in vector[:8]], "l2": round(float(np.linalg.norm(vector)), 6),
            "sum": round(float(vector.sum()), 5), "dimension": int(vector.shape[0])}


def _vector_differences(expected: dict[str, Any], vector: np.ndarray) -> list[str]:
    actual = _vector_record(vector)
    problems = [] if actual["dimension"] == expected["dimension"] else [f"{actual['dimension']} numbers, expected {expected['dimension']}"]
    for i, (a, b) in enumerate(zip(actual["first8"], expected["first8"])):
        if abs(a - b) > VECTOR_TOLERANCE * max(1.0, abs(b)):
            problems.append(f"value {i} is {a:.6f}, expected {b:.6f}")
    if abs(actual["l2"] - expected["l2"]) > VECTOR_TOLERANCE * max(1.0, expected["l2"]):
        problems.append(f"L2 norm is {actual['l2']:.6f}, expected {expected['l2']:.6f}")
    return problems


def check(onnx_path: Path, model: str, checks_path: Path = CHECKS_FILE) -> dict[str, Any]:
    """Compares the model's output on the known input with the record in checks.json.

    - Returns: a JSON-able summary when they agree.
    - Raises: ConvertError naming the first differences when they do not.
    """
    models = _load_checks(checks_path).get("models", {})
    if model not in models:
        raise ConvertError(f"{checks_path} has no record for {model}; record one with --record")
    expected = models[model]["known_input"]
    vector = _known_vector(onnx_path, model)
    if vector is not None:
        problems = _vector_differences(expected, vector)
        if problems:
            raise ConvertError(f"{onnx_path} disagrees with the recorded known-input output: {'; '.join(problems[:4])}"
                               " — delete it and run `starling setup --zoo` again")
        return {"model": model, "path": str(onnx_path), "ok": True, "l2": _vector_record(vector)["l2"]}
    features, logits = _run_known_input(onnx_path)
    actual = record_of(features, logits)
    problems = _differences(expected, actual, logits)
    if problems:
        raise ConvertError(f"{onnx_path} disagrees with the recorded known-input output: {'; '.join(problems[:4])}"
                           " — delete it and convert the weights again")
    return {"model": model, "onnx": str(onnx_path), "ok": True, "top5": actual["top5"],
            "features_l2": actual["features_l2"]}


def record(onnx_path: Path, model: str, checks_path: Path = CHECKS_FILE) -> dict[str, Any]:
    """Writes the model's known-input output into checks.json (for maintainers; keeps other fields)."""
    checks = _load_checks(checks_path) if checks_path.exists() else {}
    entry = checks.setdefault("models", {}).setdefault(model, {})
    vector = _known_vector(onnx_path, model)
    if vector is not None:
        how = f"starling_zoo.text_embeddings([{KNOWN_SENTENCE!r}])" if model == "minilm_l6" else \
            f"starling_zoo.encode_sound(zoo_convert.known_sound()): {KNOWN_SOUND}"
        entry["known_input"] = {"how": how, **_vector_record(vector)}
        entry["model_sha256"] = sha256_of(onnx_path)
        _write_atomically(checks_path, (json.dumps(checks, indent=2) + "\n").encode())
        return {"model": model, "checks": str(checks_path), **entry["known_input"]}
    features, logits = _run_known_input(onnx_path)
    entry["known_input"] = {"how": f"zoo_convert.known_tensor(): {KNOWN_IMAGE_EXPRESSION}; then /255, "
                                   f"(x - {list(IMAGENET_MEAN)}) / {list(IMAGENET_STD)}, HWC -> NCHW float32",
                            **record_of(features, logits)}
    entry["onnx_sha256"] = sha256_of(onnx_path)
    _write_atomically(checks_path, (json.dumps(checks, indent=2) + "\n").encode())
    return {"model": model, "checks": str(checks_path), **entry["known_input"]}


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Convert PyTorch weights to ONNX without torch, or check a converted model.")
    parser.add_argument("--model", default="mobilenet_v2", help="architecture (default mobilenet_v2)")
    parser.add_argument("--weights", type=Path, help="the .pth state dict to convert")
    parser.add_argument("--out", type=Path, help="where to write the ONNX model")
    parser.add_argument("--check", type=Path, metavar="ONNX", help="compare ONNX's known-input output with checks.json")
    parser.add_argument("--record", type=Path, metavar="ONNX", help="(maintainers) record ONNX's known-input output")
    parser.add_argument("--checks", type=Path, default=CHECKS_FILE, help="the checks file (default: beside this script)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.check is not None:
            result = check(args.check, args.model, args.checks)
        elif args.record is not None:
            result = record(args.record, args.model, args.checks)
        elif args.weights is not None and args.out is not None:
            started = time.monotonic()
            result = convert(args.model, args.weights, args.out)
            print(f"zoo_convert: {args.model} converted in {time.monotonic() - started:.1f} s", file=sys.stderr)
        else:
            raise ConvertError("give --weights IN.pth --out OUT.onnx to convert, or --check OUT.onnx to check")
    except ConvertError as error:
        print(f"zoo_convert: error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

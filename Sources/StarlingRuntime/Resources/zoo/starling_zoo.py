"""Pretrained features for solution scripts, offline and without torch.

    from starling_zoo import image_features, text_embeddings, audio_features
    X = image_features(train_paths)          # numpy float32 (n, 1280), one row per image
    T = text_embeddings(train["text"])       # float32 (n, 384), unit length, one row per text
    A = audio_features(train_paths)          # float32 (n, 1536), one row per sound file

Images: MobileNetV2, an ONNX file that `starling setup --zoo` converted once from
torchvision's ImageNet weights, run with onnxruntime on the CPU. Images get torchvision's
ImageNet preprocessing: RGB, short side resized to 256 (bilinear), centre crop 224, scaled to
[0,1], normalised with the ImageNet mean and std.

Text: all-MiniLM-L6-v2 (sentence-transformers) as int8 ONNX with its WordPiece tokenizer
(the `tokenizers` package): at most 128 tokens per text, the token states averaged over the
attention mask and scaled to unit length, as sentence-transformers does.

Sounds: the encoder of Whisper tiny.en (CTranslate2) on an 80-band log-mel spectrogram of the
sound resampled to 16 kHz mono (Whisper's own recipe: 25 ms Hann window, 10 ms hop, Slaney
mel filters, log10 clipped 8 below the maximum). The encoder's 384-d frames over the sound's
length are averaged in three equal parts (start, middle, end: the contour a tone or a call
follows) and overall, and their standard deviation over the whole sound appended: 4 x 384 = 1536 numbers per sound.
Any format libsndfile reads (WAV, FLAC, OGG, AIFF) works, through the `soundfile` package.

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

__all__ = ["image_features", "image_logits", "text_embeddings", "audio_features", "prefetch", "log_mel", "preprocess", "model_path"]

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

def zoo_folder() -> Path:
    """Where the installed models are: `$STARLING_ZOO_DIR`, else Starling's home."""
    return Path(os.environ.get("STARLING_ZOO_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "starling", "zoo"))


def model_path(model: str = "mobilenet_v2") -> Path:
    """Where the ONNX file of `model` is expected: `$STARLING_ZOO_DIR/<model>.onnx`."""
    return zoo_folder() / f"{model}.onnx"


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


def _cache_key(model: str, path: str | os.PathLike, what: str = "image") -> str:
    """Names one file's cache entry by model and the file's content, so the same image or sound
    read through another path (a node's input link, a fold's copy) finds the same entry."""
    digest = hashlib.sha256(f"{model}\0".encode())
    try:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise FileNotFoundError(f"{what} {path} does not exist") from None
    except IsADirectoryError:
        raise ValueError(f"{what} {path} is a folder, not a file") from None
    return digest.hexdigest()


def _text_key(model: str, text: str) -> str:
    """Names one text's cache entry by model and content."""
    return hashlib.sha256(f"{model}\0{text}".encode("utf-8", "surrogateescape")).hexdigest()


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
    missing = _cached_rows(keys, folder, output, width, result)
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

    def __init__(self, total: int, model: str, unit: str = "images") -> None:
        self.total, self.model, self.unit, self.done, self.next_report = total, model, unit, 0, max(1, total // 10)

    def advance(self, count: int) -> None:
        self.done += count
        if self.total < PROGRESS_MIN_IMAGES or (self.done < self.next_report and self.done < self.total):
            return
        print(f"starling_zoo: {self.model} {self.done}/{self.total} {self.unit} ({100 * self.done // self.total}%)",
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


def _cached_rows(keys: Sequence[str], folder: Path | None, output: str, width: int,
                 result: np.ndarray) -> list[int]:
    """Fills `result` from the cache; returns the rows still to compute."""
    missing = []
    for i, key in enumerate(keys):
        cached = _cache_read(folder, key, output, width) if folder is not None else None
        if cached is None:
            missing.append(i)
        else:
            result[i] = cached
    return missing


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------

TEXT_MODEL = "minilm_l6"
TEXT_MAX_TOKENS = 128
_tokenizers: dict[str, Any] = {}


def _tokenizer(model: str) -> Any:
    if model in _tokenizers:
        return _tokenizers[model]
    path = zoo_folder() / f"{model}.tokenizer.json"
    if not path.is_file():
        raise ZooError(f"the zoo model {model}'s tokenizer is not installed ({path} is missing); run `starling setup --zoo`")
    try:
        from tokenizers import Tokenizer
    except ImportError:
        raise ZooError("the Python package tokenizers is missing; run `starling setup` (or pip install tokenizers)") from None
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(max_length=TEXT_MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest text of each batch
    _tokenizers[model] = tokenizer
    return tokenizer


def _embed(texts: Sequence[str], model: str) -> np.ndarray:
    """Unit-length mean-pooled token states of one batch of texts."""
    encodings = _tokenizer(model).encode_batch(list(texts))
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    types = np.array([e.type_ids for e in encodings], dtype=np.int64)
    (states,) = _session(model).run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
    weights = mask[:, :, None].astype(np.float32)
    pooled = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def text_embeddings(texts: Iterable[Any], model: str = TEXT_MODEL, batch_size: int = 64, cache: bool = True) -> np.ndarray:
    """Pretrained sentence embeddings: one unit-length row per text (cosine similarity = dot product).

    - Parameter texts: strings (a list, a pandas Series...); None and NaN count as "".
      Texts longer than 128 word pieces are cut (the model's training length).
    - Parameter model: a zoo text model installed by `starling setup --zoo`.
    - Parameter batch_size: texts per onnxruntime call (sorted by length, so padding stays short).
    - Parameter cache: reuse and write the per-text disk cache ($STARLING_ZOO_CACHE), keyed by content.
    - Returns: float32 array (len(texts), 384) for minilm_l6, rows in the order of texts.
    - Raises: ZooError when the model or its tokenizer is not installed.
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError("text_embeddings takes a list of texts; wrap a single text in a list")
    if batch_size < 1:
        raise ValueError(f"batch_size is {batch_size}; give a positive number of texts per batch")
    items = ["" if value is None or (isinstance(value, float) and value != value) else str(value) for value in texts]
    width = _output_width(_session(model), "last_hidden_state")
    result = np.empty((len(items), width), dtype=np.float32)
    folder = _cache_folder(model, cache)
    keys = [_text_key(model, text) for text in items]
    missing = _cached_rows(keys, folder, "embedding", width, result)
    missing.sort(key=lambda i: len(items[i]))
    progress = _Progress(len(missing), model, "texts")
    for start in range(0, len(missing), batch_size):
        chunk = missing[start:start + batch_size]
        values = _embed([items[i] for i in chunk], model)
        for row, i in enumerate(chunk):
            result[i] = values[row]
            if folder is not None:
                _cache_write(folder, keys[i], "embedding", values[row])
        progress.advance(len(chunk))
    return result


# --------------------------------------------------------------------------------------------
# Sounds
# --------------------------------------------------------------------------------------------

AUDIO_MODEL = "whisper_tiny_en"
SAMPLE_RATE = 16_000
N_FFT = 400  # 25 ms
HOP = 160  # 10 ms
N_MELS = 80
MAX_FRAMES = 3000  # Whisper's 30-second window
MIN_FRAMES = 100  # a shorter sound is padded with silence to 1 second
AUDIO_PARTS = 3  # the encoder frames are averaged over the start, middle and end of the sound
_whisper_models: dict[str, Any] = {}
_mel_filters: np.ndarray | None = None


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """The Slaney mel scale: linear below 1 kHz, logarithmic above."""
    hz = np.asarray(hz, dtype=np.float64)
    linear = hz / (200.0 / 3)
    log_step = np.log(6.4) / 27.0
    return np.where(hz >= 1000.0, 15.0 + np.log(np.maximum(hz, 1e-10) / 1000.0) / log_step, linear)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    log_step = np.log(6.4) / 27.0
    return np.where(mel >= 15.0, 1000.0 * np.exp(log_step * (mel - 15.0)), mel * (200.0 / 3))


def mel_filters() -> np.ndarray:
    """(80, 201) triangular Slaney-normalised mel filters for a 400-point FFT at 16 kHz."""
    global _mel_filters
    if _mel_filters is None:
        bins = np.linspace(0, SAMPLE_RATE / 2, N_FFT // 2 + 1)
        edges = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))
        widths = np.diff(edges)
        ramps = edges[:, None] - bins[None, :]
        lower = -ramps[:-2] / widths[:-1, None]
        upper = ramps[2:] / widths[1:, None]
        filters = np.maximum(0.0, np.minimum(lower, upper))
        filters *= (2.0 / (edges[2:N_MELS + 2] - edges[:N_MELS]))[:, None]
        _mel_filters = filters.astype(np.float32)
    return _mel_filters


def read_sound(path: str | os.PathLike) -> np.ndarray:
    """A sound file as float32 mono samples at 16 kHz.

    - Raises: FileNotFoundError for a missing file, ValueError for one libsndfile cannot read.
    """
    if not os.path.exists(path):
        raise FileNotFoundError(f"sound {path} does not exist")
    try:
        import soundfile
    except ImportError:
        raise ZooError("the Python package soundfile is missing; run `starling setup` (or pip install soundfile)") from None
    try:
        samples, rate = soundfile.read(os.fspath(path), dtype="float32", always_2d=True)
    except Exception as error:  # soundfile raises its own LibsndfileError
        raise ValueError(f"sound {path} cannot be read by libsndfile ({str(error)[:160]}); check that it is a sound file") from None
    mono = samples.mean(axis=1)
    if rate != SAMPLE_RATE and len(mono):
        from math import gcd

        from scipy.signal import resample_poly

        common = gcd(int(rate), SAMPLE_RATE)
        mono = resample_poly(mono, SAMPLE_RATE // common, int(rate) // common).astype(np.float32)
    return mono.astype(np.float32)


def log_mel(samples: np.ndarray) -> np.ndarray:
    """Whisper's (80, frames) log-mel spectrogram of 16 kHz samples (frames = samples / 160)."""
    samples = np.asarray(samples, dtype=np.float32)
    padded = np.pad(samples, N_FFT // 2, mode="reflect") if len(samples) > N_FFT // 2 else np.pad(samples, N_FFT // 2)
    frames = 1 + (len(padded) - N_FFT) // HOP
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)  # periodic Hann
    index = np.arange(N_FFT)[None, :] + HOP * np.arange(frames)[:, None]
    power = np.abs(np.fft.rfft(padded[index] * window, axis=1)) ** 2
    mel = mel_filters() @ power[:-1].T if frames > 1 else mel_filters() @ power.T
    spectrum = np.log10(np.maximum(mel, 1e-10))
    spectrum = np.maximum(spectrum, spectrum.max() - 8.0)
    return ((spectrum + 4.0) / 4.0).astype(np.float32)


def _whisper(model: str) -> Any:
    if model in _whisper_models:
        return _whisper_models[model]
    folder = zoo_folder() / model
    if not (folder / "model.bin").is_file():
        raise ZooError(f"the zoo model {model} is not installed ({folder / 'model.bin'} is missing); run `starling setup --zoo`, "
                       "or point STARLING_ZOO_DIR at the folder holding it")
    try:
        import ctranslate2
    except ImportError:
        raise ZooError("the Python package ctranslate2 is missing; run `starling setup` (or pip install ctranslate2)") from None
    import logging

    logging.getLogger("ctranslate2").setLevel(logging.ERROR)  # its float16-to-float32 notice is not a problem
    whisper = ctranslate2.models.Whisper(str(folder), device="cpu", compute_type="float32",
                                         intra_threads=_thread_count(), inter_threads=1)
    _whisper_models[model] = whisper
    return whisper


def _pool(frames: np.ndarray, used: int) -> np.ndarray:
    """The encoder's frames over the sound (`used` of them): part means, then the overall std."""
    frames = frames[:max(1, used)]
    parts = [part.mean(axis=0) for part in np.array_split(frames, AUDIO_PARTS) if len(part)]
    while len(parts) < AUDIO_PARTS:  # a sound shorter than three frames
        parts.append(parts[-1])
    return np.concatenate(parts + [frames.std(axis=0)]).astype(np.float32)


def _padded_spectrum(samples: np.ndarray) -> tuple[np.ndarray, int]:
    """The encoder's input for one sound (80, frames: even, 100-3000) and how many encoder frames cover the sound."""
    spectrum = log_mel(samples[: MAX_FRAMES * HOP])
    frames = min(MAX_FRAMES, max(MIN_FRAMES, spectrum.shape[1] + spectrum.shape[1] % 2))
    padded = np.full((N_MELS, frames), spectrum.min() if spectrum.size else 0.0, dtype=np.float32)
    padded[:, : min(frames, spectrum.shape[1])] = spectrum[:, :frames]
    return padded, (min(frames, spectrum.shape[1]) + 1) // 2


def _encode_batch(spectra: Sequence[tuple[np.ndarray, int]], model: str) -> list[np.ndarray]:
    """Pooled encoder features of several padded spectra; those of one length share an encoder call."""
    import ctranslate2

    results: list[np.ndarray | None] = [None] * len(spectra)
    by_length: dict[int, list[int]] = {}
    for i, (padded, _) in enumerate(spectra):
        by_length.setdefault(padded.shape[1], []).append(i)
    for indices in by_length.values():
        batch = np.ascontiguousarray(np.stack([spectra[i][0] for i in indices]))
        output = np.array(_whisper(model).encode(ctranslate2.StorageView.from_array(batch)))
        for row, i in enumerate(indices):
            results[i] = _pool(output[row], spectra[i][1])
    return results  # type: ignore[return-value]


def encode_sound(samples: np.ndarray, model: str = AUDIO_MODEL) -> np.ndarray:
    """The pooled encoder features of 16 kHz samples (see audio_features)."""
    return _encode_batch([_padded_spectrum(samples)], model)[0]


def audio_features(paths: Iterable[str | os.PathLike], model: str = AUDIO_MODEL, batch_size: int = 16,
                   cache: bool = True) -> np.ndarray:
    """Pretrained features of sounds: Whisper tiny.en's encoder, pooled over each sound.

    - Parameter paths: sound files (WAV, FLAC, OGG, AIFF...; any rate, mixed to mono, resampled to 16 kHz;
      only the first 30 seconds are used).
    - Parameter model: a zoo audio model installed by `starling setup --zoo`.
    - Parameter batch_size: sounds read per step (those of one padded length share an encoder call).
    - Parameter cache: reuse and write the per-file disk cache ($STARLING_ZOO_CACHE).
    - Returns: float32 array (len(paths), 1536): the 384-d encoder frames averaged over the first,
      middle and last third of the sound, then their standard deviation over the whole sound.
    - Raises: ZooError when the model is not installed; FileNotFoundError / ValueError naming a
      sound that is missing or unreadable.
    """
    if isinstance(paths, (str, os.PathLike)):
        raise TypeError("audio_features takes a list of sound paths; wrap a single path in a list")
    paths = list(paths)
    _whisper(model)
    width = 384 * (AUDIO_PARTS + 1)
    result = np.empty((len(paths), width), dtype=np.float32)
    folder = _cache_folder(model, cache)
    keys = [_cache_key(model, p, "sound") if folder is not None else "" for p in paths]
    missing = _cached_rows(keys, folder, "features", width, result)
    if batch_size < 1:
        raise ValueError(f"batch_size is {batch_size}; give a positive number of sounds per batch")
    progress = _Progress(len(missing), model, "sounds")
    for start in range(0, len(missing), batch_size):
        chunk = missing[start:start + batch_size]
        for i, value in zip(chunk, _encode_batch([_padded_spectrum(read_sound(paths[i])) for i in chunk], model)):
            result[i] = value
            if folder is not None:
                _cache_write(folder, keys[i], "features", value)
        progress.advance(len(chunk))
    return result


# --------------------------------------------------------------------------------------------
# Prefetch
# --------------------------------------------------------------------------------------------

SOUND_SUFFIXES = (".wav", ".aif", ".aiff", ".flac", ".ogg", ".mp3")
PREFETCH_MIN_TEXT_LENGTH = 20  # a column of shorter strings is a category, not a text


def _read_table(path: Path) -> Any:
    import pandas as pd

    return pd.read_json(path) if path.suffix == ".json" else pd.read_csv(path)


def prefetch(folder: str | os.PathLike = "input") -> str:
    """Computes and caches the zoo features a task folder's scripts will ask for; returns what it did.

    With a layout.json that names per-row files: every training and test row's image or sound
    (the first file pattern, as Starling's loading code reads them). Otherwise: the training and
    test rows of the longest text column (mean length of at least 20 characters), as the text
    card reads them (missing values as ""). Features are cached (STARLING_ZOO_CACHE) and nothing
    else is written.
    """
    import json

    root = Path(folder)
    layout_file = root / "layout.json"
    layout = json.loads(layout_file.read_text()) if layout_file.is_file() else {}
    sample_name = layout.get("sample_submission", "sample_submission.csv")
    sample = _read_table(root / sample_name) if (root / sample_name).is_file() else None
    id_column = layout.get("id_column") or (sample.columns[0] if sample is not None else "id")
    train = _read_table(root / layout.get("train", "train.csv"))
    test_name = layout.get("test", "test.csv")
    if test_name and (root / test_name).is_file():
        test = _read_table(root / test_name)
    else:
        test = sample[[id_column]] if sample is not None and id_column in sample.columns else None
    patterns = layout.get("files") or []
    if patterns:
        pattern = patterns[0]
        paths = [str(root / pattern[key].replace("{id}", str(i)))
                 for key, frame in (("train", train), ("test", test)) if frame is not None and id_column in frame.columns
                 for i in frame[id_column]]
        paths = [p for p in paths if os.path.isfile(p)]
        if not paths:
            return "nothing to prefetch: no row file found"
        sounds = paths[0].lower().endswith(SOUND_SUFFIXES)
        (audio_features if sounds else image_features)(paths)
        return f"{len(paths)} {'sounds' if sounds else 'images'}"
    import pandas as pd

    skip = {id_column} | set(sample.columns if sample is not None else [])
    best, best_length = None, 0.0
    for column in train.columns:
        values = train[column]
        if column in skip or pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        length = values.dropna().astype(str).str.len().mean()
        if length == length and length > best_length:
            best, best_length = column, float(length)
    if best is None or best_length < PREFETCH_MIN_TEXT_LENGTH:
        return "nothing to prefetch: no file per row and no text column"
    frames = [f[best] for f in (train, test) if f is not None and best in f.columns]
    texts = pd.concat(frames, ignore_index=True).fillna("").astype(str).tolist()
    text_embeddings(texts)
    return f"{len(texts)} texts of column {best!r}"


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "prefetch":
    print(f"zoo prefetch: {prefetch(sys.argv[2])}")

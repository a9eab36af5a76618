#!/usr/bin/env python3
"""Small synthetic data in the on-disk layout of each MLE-bench Lite competition.

Kaggle data cannot be downloaded everywhere, yet import, agent view, run and grading should be
checked on all 22 Lite competitions. For each competition this writes what `mlebench prepare`
would leave behind, with made-up rows that carry a learnable signal:

    OUT/<id>/config.yaml            MLE-bench's competition config (id, grader name, dataset paths)
    OUT/<id>/description.md         a short statement of the synthetic task
    OUT/<id>/leaderboard.csv        a made-up leaderboard in the right direction
    OUT/<id>/prepared/public/...    the files an agent sees, named and shaped as prepare.py does
    OUT/<id>/prepared/private/...   the answers (and a private sample where MLE-bench keeps one)
    OUT/<id>/checks/*.csv           perfect, sample, random and invalid-* submissions
    OUT/<id>/checks/checks.json     what each invalid file breaks

Only the Python standard library is used, and every byte depends on the competition id alone, so
two runs write identical files (the agreement fixtures recorded from MLE-bench's grader rely on it).

    python3 tasks/mlebench-lite/synthesize.py OUT [--only id,id,...]
    python3 tasks/mlebench-lite/synthesize.py --list
"""

import argparse
import csv
import io
import json
import math
import random
import struct
import sys
import zipfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from class_lists import DOG_BREEDS, LEAF_SPECIES, RANZCR_LABELS, RANZCR_SCORED  # noqa: E402

ZIP_TIME = (2020, 1, 1, 0, 0, 0)


# ----------------------------------------------------------------------------- file writers

def num(x, digits=6):
    """A float as plain decimal text, the same on every platform."""
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_csv(path, header, rows, quote_all=False):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC if quote_all else csv.QUOTE_MINIMAL)
        w.writerow(header)
        w.writerows(rows)


def png_bytes(width, height, gray):
    """An 8-bit grayscale PNG from a row-major list of 0..255 values."""
    raw = b"".join(b"\x00" + bytes(gray[r * width:(r + 1) * width]) for r in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def image(rng, level, width=8, height=8, spread=40):
    """A small noisy image whose mean brightness follows `level` (0..1): the learnable signal."""
    base = 40 + level * 170
    return png_bytes(width, height, [max(0, min(255, int(base + rng.uniform(-spread, spread)))) for _ in range(width * height)])


def wav_bytes(rng, level, frames=400, rate=2000):
    samples = [int(12000 * (0.3 + level) * math.sin(i * (0.2 + level)) + rng.uniform(-800, 800)) for i in range(frames)]
    out = io.BytesIO()
    data = struct.pack("<" + "h" * frames, *samples)
    out.write(b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt ")
    out.write(struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16))
    out.write(b"data" + struct.pack("<I", len(data)) + data)
    return out.getvalue()


def aiff_bytes(rng, level, frames=400, rate=2000):
    """A mono 16-bit AIFF (big-endian samples; the sample rate as an 80-bit extended float)."""
    samples = [int(12000 * (0.3 + level) * math.sin(i * (0.2 + level)) + rng.uniform(-800, 800)) for i in range(frames)]
    exponent = 16383 + int(math.floor(math.log2(rate)))
    mantissa = int(rate * 2 ** (63 - math.floor(math.log2(rate))))
    rate80 = struct.pack(">HQ", exponent, mantissa)
    comm = struct.pack(">hIh", 1, frames, 16) + rate80
    ssnd = struct.pack(">II", 0, 0) + struct.pack(">" + "h" * frames, *samples)
    body = b"AIFF" + b"COMM" + struct.pack(">I", len(comm)) + comm + b"SSND" + struct.pack(">I", len(ssnd)) + ssnd
    return b"FORM" + struct.pack(">I", len(body)) + body


def write_file(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_zip(path, members):
    """A zip of (name, bytes) members with fixed timestamps, so the bytes never change."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)


def hex_id(rng, n=12):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def split(rng, rows, test_share=0.25):
    rows = list(rows)
    rng.shuffle(rows)
    cut = int(len(rows) * (1 - test_share))
    return rows[:cut], rows[cut:]


# ----------------------------------------------------------------------------- competitions
# Each writer fills public/ and private/ and returns a Spec: what a submission looks like, so
# that the checks can be written the same way for every competition.

class Spec:
    def __init__(self, id_column, targets, answers, sample, kind, invalid):
        self.id_column = id_column
        self.targets = targets          # scored columns of a submission
        self.answers = answers          # (header, rows) of the perfect submission
        self.sample = sample            # (header, rows) of the sample submission
        self.kind = kind                # "prob", "probs" (rows sum to 1), "label:<classes>", "number", "positive", "text"
        self.invalid = invalid          # [(file stem, reason, how)]


def aerial_cactus(rng, public, private):
    rows = []
    for _ in range(200):
        label = 1 if rng.random() < 0.7 else 0
        rows.append((hex_id(rng, 32) + ".jpg", label, rng.random()))
    train, test = split(rng, rows)
    write_csv(public / "train.csv", ["id", "has_cactus"], [(i, y) for i, y, _ in train])
    write_zip(public / "train.zip", [(f"train/{i}", image(rng, 0.25 + 0.5 * y)) for i, y, _ in train])
    write_zip(public / "test.zip", [(f"test/{i}", image(rng, 0.25 + 0.5 * y)) for i, y, _ in test])
    sample = (["id", "has_cactus"], [(i, 0.5) for i, _, _ in test])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "test.csv", ["id", "has_cactus"], [(i, y) for i, y, _ in test])
    return Spec("id", ["has_cactus"], (["id", "has_cactus"], [(i, y) for i, y, _ in test]), sample, "prob",
                [("invalid-range", "a probability above 1", "range"), ("invalid-missing-row", "one test id has no row", "drop")])


def aptos(rng, public, private):
    rows = [(hex_id(rng, 12), rng.randrange(5)) for _ in range(200)]
    train, test = split(rng, rows)
    write_csv(public / "train.csv", ["id_code", "diagnosis"], train)
    write_csv(public / "test.csv", ["id_code"], [(i,) for i, _ in test])
    for folder, part in (("train_images", train), ("test_images", test)):
        for i, y in part:
            write_file(public / folder / f"{i}.png", image(rng, y / 4))
    sample = (["id_code", "diagnosis"], [(i, 0) for i, _ in test])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "test.csv", ["id_code", "diagnosis"], test)
    return Spec("id_code", ["diagnosis"], (["id_code", "diagnosis"], test), sample, "label:0,1,2,3,4",
                [("invalid-missing-row", "one test id has no row", "drop"), ("invalid-no-target", "the diagnosis column is missing", "no-target")])


def denoising(rng, public, private):
    width, height = 6, 4
    stems = list(range(1, 25))
    train, test = split(rng, stems)
    answers = []
    for stem in sorted(stems):
        clean = [1.0 if rng.random() < 0.8 else round(rng.uniform(0, 0.3), 4) for _ in range(width * height)]
        noisy = [max(0, min(255, int(v * 255 * 0.85 + rng.uniform(0, 40)))) for v in clean]
        folder = "train" if stem in train else "test"
        write_file(public / folder / f"{stem}.png", png_bytes(width, height, noisy))
        if stem in train:
            write_file(public / "train_cleaned" / f"{stem}.png", png_bytes(width, height, [int(round(v * 255)) for v in clean]))
        else:
            for r in range(height):
                for c in range(width):
                    answers.append((f"{stem}_{r + 1}_{c + 1}", num(round(clean[r * width + c] * 255) / 255.0, 8)))
    sample = (["id", "value"], [(i, 1) for i, _ in answers])
    write_csv(public / "sampleSubmission.csv", *sample)
    write_csv(private / "answers.csv", ["id", "value"], answers)
    return Spec("id", ["value"], (["id", "value"], answers), sample, "number",
                [("invalid-not-number", "a value that is not a number", "text"), ("invalid-missing-row", "one pixel id has no row", "drop")])


INSULT_WORDS = ["idiot", "moron", "loser", "stupid", "clown"]
PLAIN_WORDS = ["the", "game", "was", "great", "today", "weather", "nice", "agree", "policy", "read", "article",
               "thanks", "sharing", "team", "played", "well", "music", "good", "city", "council"]


def sentence(rng, words, n):
    return " ".join(rng.choice(words) for _ in range(n))


def insults(rng, public, private):
    rows, seen = [], set()
    while len(rows) < 220:
        label = 1 if rng.random() < 0.3 else 0
        words = sentence(rng, PLAIN_WORDS, rng.randint(5, 12))
        if label:
            words += " you " + rng.choice(INSULT_WORDS)
        text = f'"{words} #{len(rows)}"'
        if text in seen:
            continue
        seen.add(text)
        date = "" if rng.random() < 0.4 else f"2012060{rng.randint(1, 9)}120000Z"
        rows.append((label, date, text))
    train, test = split(rng, rows)
    write_csv(public / "train.csv", ["Insult", "Date", "Comment"], train)
    write_csv(public / "test.csv", ["Date", "Comment"], [(d, c) for _, d, c in test])
    sample = (["Insult", "Date", "Comment"], [(0, d, c) for _, d, c in test])
    write_csv(public / "sample_submission_null.csv", *sample)
    write_csv(private / "test.csv", ["Insult", "Date", "Comment", "Usage"], [(y, d, c, "PrivateTest") for y, d, c in test])
    write_csv(private / "gold_submission.csv", ["Insult", "Date", "Comment"], test)
    return Spec("Comment", ["Insult"], (["Insult", "Date", "Comment"], test), sample, "prob",
                [("invalid-range", "a probability below 0", "range-low"), ("invalid-missing-row", "one comment has no row", "drop")])


def dog_breed(rng, public, private):
    rows = []
    for b, breed in enumerate(DOG_BREEDS):
        for _ in range(3):
            rows.append((hex_id(rng, 32), breed, b))
    train, test = split(rng, rows, 0.2)
    write_csv(public / "labels.csv", ["id", "breed"], [(i, breed) for i, breed, _ in train])
    for folder, part in (("train", train), ("test", test)):
        for i, _, b in part:
            write_file(public / folder / f"{i}.jpg", image(rng, b / (len(DOG_BREEDS) - 1), spread=4))
    header = ["id"] + list(DOG_BREEDS)
    sample = (header, [[i] + [num(1 / len(DOG_BREEDS), 12)] * len(DOG_BREEDS) for i, _, _ in test])
    write_csv(public / "sample_submission.csv", *sample)
    answers = [[i] + [1 if breed == c else 0 for c in DOG_BREEDS] for i, breed, _ in test]
    write_csv(private / "test.csv", header, answers)
    return Spec("id", list(DOG_BREEDS), (header, answers), sample, "probs",
                [("invalid-row-sum", "a row of probabilities sums to 2", "double-row"), ("invalid-missing-row", "one test id has no row", "drop")])


def dogs_vs_cats(rng, public, private):
    animals = [("dog" if rng.random() < 0.5 else "cat") for _ in range(200)]
    train, test = split(rng, list(enumerate(animals)))
    counts = {"cat": 0, "dog": 0}
    members = []
    for _, animal in train:
        members.append((f"train/{animal}.{counts[animal]}.jpg", image(rng, 0.75 if animal == "dog" else 0.25)))
        counts[animal] += 1
    write_zip(public / "train.zip", members)
    write_zip(public / "test.zip", [(f"test/{n + 1}.jpg", image(rng, 0.75 if a == "dog" else 0.25)) for n, (_, a) in enumerate(test)])
    answers = [(n + 1, 1 if a == "dog" else 0) for n, (_, a) in enumerate(test)]
    sample = (["id", "label"], [(i, 0.5) for i, _ in answers])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "answers.csv", ["id", "label"], answers)
    return Spec("id", ["label"], (["id", "label"], answers), sample, "prob",
                [("invalid-range", "a probability above 1", "range"), ("invalid-missing-row", "one test id has no row", "drop")])


def histopathologic(rng, public, private):
    rows = [(hex_id(rng, 40), 1 if rng.random() < 0.4 else 0) for _ in range(200)]
    train, test = split(rng, rows)
    write_csv(public / "train_labels.csv", ["id", "label"], train)
    for folder, part in (("train", train), ("test", test)):
        for i, y in part:
            write_file(public / folder / f"{i}.tif", image(rng, 0.3 + 0.4 * y))
    sample = (["id", "label"], [(i, 0) for i, _ in test])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "answers.csv", ["id", "label"], test)
    return Spec("id", ["label"], (["id", "label"], test), sample, "prob",
                [("invalid-range", "a probability above 1", "range"), ("invalid-missing-row", "one test id has no row", "drop")])


JIGSAW = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]


def jigsaw(rng, public, private):
    rows = []
    for n in range(240):
        labels = [1 if rng.random() < p else 0 for p in (0.3, 0.15, 0.2, 0.15, 0.2, 0.15)]
        labels[1] = labels[1] or (labels[0] and rng.random() < 0.3)
        text = sentence(rng, PLAIN_WORDS, rng.randint(6, 14))
        if labels[0]:
            text += " " + rng.choice(INSULT_WORDS)
        if labels[2]:
            text += " filthy"
        if labels[3]:
            text += " or else"
        rows.append([hex_id(rng, 16), text] + [int(v) for v in labels])
    train, test = split(rng, rows)
    write_csv(public / "train.csv", ["id", "comment_text"] + JIGSAW, train)
    write_csv(public / "test.csv", ["id", "comment_text"], [r[:2] for r in test])
    sample = (["id"] + JIGSAW, [[r[0]] + [0.5] * 6 for r in test])
    write_csv(public / "sample_submission.csv", *sample)
    labels = [[r[0]] + ([-1] * 6 if rng.random() < 0.2 else r[2:]) for r in test]
    write_csv(private / "test.csv", ["id"] + JIGSAW, labels)
    perfect = [[r[0]] + [max(0, v) for v in r[1:]] for r in labels]
    return Spec("id", JIGSAW, (["id"] + JIGSAW, perfect), sample, "prob",
                [("invalid-no-target", "the threat column is missing", "no-target"), ("invalid-missing-row", "one test id has no row", "drop")])


def leaf(rng, public, private):
    features = [f"margin{k}" for k in range(1, 65)] + [f"shape{k}" for k in range(1, 65)] + [f"texture{k}" for k in range(1, 65)]
    rows, next_id = [], 1
    for s, species in enumerate(LEAF_SPECIES):
        centre = [rng.random() * 0.05 for _ in features]
        centre[s % 64] += 0.3
        for _ in range(4):
            rows.append((next_id, species, [num(max(0.0, c + rng.gauss(0, 0.004))) for c in centre]))
            next_id += 1
    train, test = split(rng, rows, 0.25)
    write_csv(public / "train.csv", ["id", "species"] + features, [[i, sp] + f for i, sp, f in train])
    write_csv(public / "test.csv", ["id"] + features, [[i] + f for i, _, f in test])
    for i, sp, _ in rows:
        write_file(public / "images" / f"{i}.jpg", image(rng, LEAF_SPECIES.index(sp) / 98, spread=6))
    header = ["id"] + list(LEAF_SPECIES)
    sample = (header, [[i] + [num(1 / 99, 12)] * 99 for i, _, _ in test])
    write_csv(public / "sample_submission.csv", *sample)
    answers = [[i] + [1 if sp == c else 0 for c in LEAF_SPECIES] for i, sp, _ in test]
    write_csv(private / "test.csv", header, answers)
    return Spec("id", list(LEAF_SPECIES), (header, answers), sample, "probs",
                [("invalid-extra-column", "a column that is not a species", "extra-column"), ("invalid-row-sum", "a row of probabilities sums to 2", "double-row")])


def mlsp_birds(rng, public, private):
    recs = 60
    test_ids = set(rng.sample(range(recs), 15))
    labels = {r: sorted(rng.sample(range(19), rng.randint(0, 3))) for r in range(recs)}
    ess, sup = public / "essential_data", public / "supplemental_data"
    write_csv(ess / "CVfolds_2.txt", ["rec_id", "fold"], [(r, 1 if r in test_ids else 0) for r in range(recs)])
    names = {r: f"PC{r % 7 + 1}_2009{r:04d}_000000_0010" for r in range(recs)}
    write_csv(ess / "rec_id2filename.txt", ["rec_id", "filename"], [(r, names[r]) for r in range(recs)])
    with open(ess / "rec_labels_test_hidden.txt", "w") as f:
        f.write("rec_id,[labels]\n")
        for r in range(recs):
            if r in test_ids:
                f.write(f"{r},?\n")
            elif labels[r]:
                f.write(f"{r}," + ",".join(map(str, labels[r])) + "\n")
            else:
                f.write(f"{r}\n")
    with open(ess / "species_list.txt", "w") as f:
        f.write("class_id,code,species\n")
        for s in range(19):
            f.write(f"{s},SP{s:02d},Species {s}\n")
    for r in range(recs):
        write_file(ess / "src_wavs" / f"{names[r]}.wav", wav_bytes(rng, len(labels[r]) / 3))
    sup.mkdir(parents=True, exist_ok=True)
    with open(sup / "histogram_of_segments.txt", "w") as f:
        f.write("rec_id,[histogram of segment features]\n")
        for r in range(recs):
            bins = [(0.2 if s in labels[r] else 0.0) + rng.random() * 0.05 for s in range(19)]
            f.write(f"{r}," + ",".join(num(b) for b in bins) + "\n")
    answers = [(r * 100 + s, int(s in labels[r])) for r in sorted(test_ids) for s in range(19)]
    sample = (["Id", "Probability"], [(i, 0) for i, _ in answers])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "answers.csv", ["Id", "Probability"], answers)
    return Spec("Id", ["Probability"], (["Id", "Probability"], answers), sample, "prob",
                [("invalid-range", "a probability above 1", "range"), ("invalid-missing-row", "one (recording, species) id has no row", "drop")])


TAXI = ["key", "fare_amount", "pickup_datetime", "pickup_longitude", "pickup_latitude", "dropoff_longitude",
        "dropoff_latitude", "passenger_count"]


def nyc_taxi(rng, public, private):
    rows = []
    for n in range(240):
        lon, lat = -73.98 + rng.gauss(0, 0.03), 40.75 + rng.gauss(0, 0.03)
        dlon, dlat = lon + rng.gauss(0, 0.03), lat + rng.gauss(0, 0.03)
        distance = math.hypot(dlon - lon, dlat - lat) * 100
        fare = round(2.5 + 2.2 * distance + rng.uniform(0, 2), 2)
        stamp = f"2013-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} {rng.randint(10, 23)}:{rng.randint(10, 59)}:00 UTC"
        rows.append([stamp.replace(" UTC", "") + f".{n:07d}", num(fare, 2), stamp, num(lon), num(lat), num(dlon), num(dlat), rng.randint(1, 4)])
    train, test = split(rng, rows)
    write_csv(public / "labels.csv", TAXI, train)
    write_csv(public / "test.csv", [c for c in TAXI if c != "fare_amount"], [[r[0]] + r[2:] for r in test])
    sample = (["key", "fare_amount"], [(r[0], 11.35) for r in test])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "test.csv", TAXI, test)
    return Spec("key", ["fare_amount"], (["key", "fare_amount"], [(r[0], r[1]) for r in test]), sample, "number",
                [("invalid-no-target", "the fare_amount column is missing", "no-target")])


NOMAD = ["spacegroup", "number_of_total_atoms", "percent_atom_al", "percent_atom_ga", "percent_atom_in",
         "lattice_vector_1_ang", "lattice_vector_2_ang", "lattice_vector_3_ang", "lattice_angle_alpha_degree",
         "lattice_angle_beta_degree", "lattice_angle_gamma_degree"]
NOMAD_TARGETS = ["formation_energy_ev_natom", "bandgap_energy_ev"]


def nomad(rng, public, private):
    rows = []
    for _ in range(200):
        al = rng.random()
        ga = rng.random() * (1 - al)
        feats = [rng.choice([12, 33, 167, 194, 206, 227]), rng.choice([10, 20, 30, 40, 60, 80]), num(al, 4), num(ga, 4),
                 num(1 - al - ga, 4)] + [num(rng.uniform(3, 25), 4) for _ in range(3)] + [num(rng.uniform(80, 100), 4) for _ in range(3)]
        formation = 0.05 + 0.25 * al + rng.uniform(0, 0.05)
        bandgap = 0.5 + 4 * al + 1.5 * ga + rng.uniform(0, 0.3)
        rows.append((feats, num(formation, 4), num(bandgap, 4)))
    train, test = split(rng, rows, 0.2)
    write_csv(public / "train.csv", ["id"] + NOMAD + NOMAD_TARGETS, [[n + 1] + f + [a, b] for n, (f, a, b) in enumerate(train)])
    write_csv(public / "test.csv", ["id"] + NOMAD, [[n + 1] + f for n, (f, _, _) in enumerate(test)])
    for folder, part in (("train", train), ("test", test)):
        for n, (f, _, _) in enumerate(part):
            atoms = "\n".join(f"atom {rng.uniform(0, 9):.4f} {rng.uniform(0, 9):.4f} {rng.uniform(0, 9):.4f} {rng.choice(['Al', 'Ga', 'In', 'O'])}" for _ in range(4))
            write_file(public / folder / str(n + 1) / "geometry.xyz", f"#synthetic\nlattice_vector {f[5]} 0 0\n{atoms}\n".encode())
    header = ["id"] + NOMAD_TARGETS
    sample = (header, [(n + 1, 0.1779, 1.8892) for n in range(len(test))])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "test.csv", ["id"] + NOMAD + NOMAD_TARGETS, [[n + 1] + f + [a, b] for n, (f, a, b) in enumerate(test)])
    return Spec("id", NOMAD_TARGETS, (header, [(n + 1, a, b) for n, (_, a, b) in enumerate(test)]), sample, "positive",
                [("invalid-missing-row", "one test row is missing", "drop"), ("invalid-no-target", "the bandgap_energy_ev column is missing", "no-target")])


PLANT = ["healthy", "multiple_diseases", "rust", "scab"]


def plant_pathology(rng, public, private):
    classes = [rng.choices(range(4), weights=(0.3, 0.1, 0.3, 0.3))[0] for _ in range(200)]
    train, test = split(rng, list(enumerate(classes)))
    train_rows = [[f"Train_{n}"] + [int(k == c) for k in range(4)] for n, (_, c) in enumerate(train)]
    test_rows = [[f"Test_{n}"] + [int(k == c) for k in range(4)] for n, (_, c) in enumerate(test)]
    write_csv(public / "train.csv", ["image_id"] + PLANT, train_rows)
    write_csv(public / "test.csv", ["image_id"], [[r[0]] for r in test_rows])
    for r in train_rows + test_rows:
        write_file(public / "images" / f"{r[0]}.jpg", image(rng, r[1:].index(1) / 3))
    sample = (["image_id"] + PLANT, [[r[0]] + [0.25] * 4 for r in test_rows])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "test.csv", ["image_id"] + PLANT, test_rows)
    return Spec("image_id", PLANT, (["image_id"] + PLANT, test_rows), sample, "prob",
                [("invalid-extra-column", "a column that is not a class", "extra-column"), ("invalid-missing-row", "one image has no row", "drop")])


PIZZA_WORDS = ["hungry", "broke", "student", "family", "paycheck", "tonight", "please", "kids", "job", "rent", "pay", "forward"]


def pizza(rng, public, private):
    records = []
    for n in range(200):
        got = rng.random() < 0.3
        text = sentence(rng, PIZZA_WORDS, rng.randint(8, 20)) + (" will pay it forward" if got and rng.random() < 0.6 else "")
        record = {
            "giver_username_if_known": "N/A",
            "request_id": f"t3_{hex_id(rng, 6)}",
            "request_text_edit_aware": text,
            "request_title": "[Request] " + sentence(rng, PIZZA_WORDS, 4),
            "requester_account_age_in_days_at_request": round(rng.uniform(0, 900), 3),
            "requester_number_of_posts_at_request": rng.randint(0, 300),
            "requester_upvotes_minus_downvotes_at_request": rng.randint(-5, 900) + (200 if got else 0),
            "requester_username": f"user{n}",
            "unix_timestamp_of_request": 1300000000 + n * 3600,
            "requester_received_pizza": got,
        }
        records.append(record)
    train, test = split(rng, records)
    test_fields = [k for k in records[0] if k != "requester_received_pizza"]
    for name, data in (("train.json", train), ("test.json", [{k: r[k] for k in test_fields} for r in test])):
        text = json.dumps(data, indent=4)
        write_file(public / name, text.encode())
        write_zip(public / name.replace(".json", ".zip"), [(name, text.encode())])
    answers = [(r["request_id"], int(r["requester_received_pizza"])) for r in test]
    sample = (["request_id", "requester_received_pizza"], [(i, 0) for i, _ in answers])
    write_csv(public / "sampleSubmission.csv", *sample)
    write_csv(private / "test.csv", ["request_id", "requester_received_pizza"], answers)
    return Spec("request_id", ["requester_received_pizza"], (["request_id", "requester_received_pizza"], answers), sample, "prob",
                [("invalid-range", "a probability above 1", "range"), ("invalid-missing-row", "one request has no row", "drop")])


def ranzcr(rng, public, private):
    rows = []
    for n in range(200):
        labels = [1 if rng.random() < 0.25 else 0 for _ in RANZCR_LABELS]
        rows.append(["1.2.826.0.1.3680043.8.498." + str(10 ** 9 + rng.randrange(10 ** 9))] + labels + [f"ec{hex_id(rng, 7)}"])
    train, test = split(rng, rows)
    header = ["StudyInstanceUID"] + list(RANZCR_LABELS) + ["PatientID"]
    write_csv(public / "train.csv", header, train)
    write_csv(public / "train_annotations.csv", ["StudyInstanceUID", "label", "data"],
              [(r[0], RANZCR_LABELS[k], "[[100, 200], [120, 260]]") for r in train[:20] for k in range(11) if r[1 + k]])
    for folder, part in (("train", train), ("test", test)):
        for r in part:
            write_file(public / folder / f"{r[0]}.jpg", image(rng, sum(r[1:4]) / 3))
    sample = (["StudyInstanceUID"] + list(RANZCR_SCORED), [[r[0]] + [0] * 9 for r in test])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "test.csv", header, test)
    return Spec("StudyInstanceUID", list(RANZCR_SCORED), (sample[0], [r[:10] for r in test]), sample, "prob",
                [("invalid-no-target", "the 'NGT - Normal' column is missing", "no-target"), ("invalid-range", "a probability above 1", "range")])


SIIM = ["image_name", "patient_id", "sex", "age_approx", "anatom_site_general_challenge", "diagnosis", "benign_malignant", "target"]


def siim(rng, public, private):
    rows = []
    for n in range(220):
        target = 1 if rng.random() < 0.15 else 0
        rows.append([f"ISIC_{1000000 + n * 37}", f"IP_{rng.randrange(10 ** 6):06d}", rng.choice(["male", "female"]),
                     rng.choice([30, 40, 50, 60, 70]), rng.choice(["torso", "lower extremity", "upper extremity", "head/neck", ""]),
                     "melanoma" if target else "unknown", "malignant" if target else "benign", target])
    train, test = split(rng, rows)
    write_csv(public / "train.csv", SIIM, train)
    write_csv(public / "test.csv", SIIM[:5], [r[:5] for r in test])
    for folder, part in (("train", train), ("test", test)):
        for r in part:
            write_file(public / "jpeg" / folder / f"{r[0]}.jpg", image(rng, 0.3 + 0.4 * r[-1]))
    sample = (["image_name", "target"], [(r[0], 0) for r in test])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "test.csv", ["image_name", "target"], [(r[0], r[-1]) for r in test])
    return Spec("image_name", ["target"], (["image_name", "target"], [(r[0], r[-1]) for r in test]), sample, "prob",
                [("invalid-range", "a probability above 1", "range"), ("invalid-missing-row", "one image has no row", "drop")])


AUTHORS = {"EAP": ["raven", "midnight", "dreary", "chamber", "heart"], "HPL": ["eldritch", "cyclopean", "ancient", "horror", "sea"],
           "MWS": ["creature", "misery", "affection", "father", "mountains"]}
COMMON = ["the", "and", "of", "my", "was", "in", "which", "upon", "that", "a"]


def spooky(rng, public, private):
    rows = []
    for n in range(240):
        author = rng.choice(sorted(AUTHORS))
        words = [rng.choice(COMMON) for _ in range(rng.randint(6, 14))] + rng.sample(AUTHORS[author], 2)
        rng.shuffle(words)
        rows.append((f"id{rng.randrange(10 ** 5):05d}{n}", " ".join(words).capitalize() + ".", author))
    train, test = split(rng, rows, 0.2)
    write_csv(public / "train.csv", ["id", "text", "author"], train)
    write_csv(public / "test.csv", ["id", "text"], [r[:2] for r in test])
    sample = (["id", "EAP", "HPL", "MWS"], [(r[0], 0.403493538995863, 0.287808366106543, 0.308698094897594) for r in test])
    write_csv(public / "sample_submission.csv", *sample)
    answers = [(r[0], int(r[2] == "EAP"), int(r[2] == "HPL"), int(r[2] == "MWS")) for r in test]
    write_csv(private / "test.csv", ["id", "EAP", "HPL", "MWS"], answers)
    return Spec("id", ["EAP", "HPL", "MWS"], (["id", "EAP", "HPL", "MWS"], answers), sample, "probs",
                [("invalid-row-sum", "a row of probabilities sums to 2", "double-row"), ("invalid-id-last", "the id column is last, not first", "id-last")])


COVER = ["Elevation", "Aspect", "Slope", "Horizontal_Distance_To_Hydrology", "Vertical_Distance_To_Hydrology",
         "Horizontal_Distance_To_Roadways", "Hillshade_9am", "Hillshade_Noon", "Hillshade_3pm",
         "Horizontal_Distance_To_Fire_Points"] + [f"Wilderness_Area{k}" for k in range(1, 5)] + [f"Soil_Type{k}" for k in range(1, 41)]


def tps_dec(rng, public, private):
    rows = []
    for n in range(300):
        cover = rng.choices([1, 2, 3, 4, 6, 7], weights=(30, 45, 10, 2, 5, 8))[0]
        elevation = 1800 + cover * 250 + rng.randint(-150, 150)
        feats = [elevation] + [rng.randint(0, 360), rng.randint(0, 50)] + [rng.randint(-100, 1500) for _ in range(7)]
        area = rng.randrange(4)
        feats += [int(k == area) for k in range(4)] + [int(rng.random() < 0.05) for _ in range(40)]
        rows.append([n] + feats + [cover])
    train, test = split(rng, rows, 0.2)
    write_csv(public / "train.csv", ["Id"] + COVER + ["Cover_Type"], train)
    write_csv(public / "test.csv", ["Id"] + COVER, [r[:-1] for r in test])
    sample = (["Id", "Cover_Type"], [(r[0], 2) for r in test])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "test.csv", ["Id"] + COVER + ["Cover_Type"], test)
    return Spec("Id", ["Cover_Type"], (["Id", "Cover_Type"], [(r[0], r[-1]) for r in test]), sample, "label:1,2,3,4,6,7",
                [("invalid-missing-row", "one test id has no row", "drop"), ("invalid-duplicate-id", "one id twice, another missing", "duplicate")])


def tps_may(rng, public, private):
    rows = []
    for n in range(300):
        values = [rng.gauss(0, 1) for _ in range(27)]
        chars = "".join(rng.choice("ABCDEFGHIJ") for _ in range(10))
        ints = [rng.randint(0, 10) for _ in range(3)]
        logit = 1.2 * values[0] - 0.8 * values[1] + 0.3 * ints[0] - 1 + (0.7 if chars[0] in "ABC" else 0)
        target = 1 if rng.random() < sigmoid(logit) else 0
        rows.append([num(v) for v in values[:7]] + ints + [num(v) for v in values[7:27]] + [chars, target])
    train_n = 225
    train = [[n] + r for n, r in enumerate(rows[:train_n])]
    test = [[train_n + n] + r for n, r in enumerate(rows[train_n:])]
    header = ["id"] + [f"f_{k:02d}" for k in range(7)] + ["f_07", "f_08", "f_09"] + [f"f_{k:02d}" for k in range(10, 27)] + \
             ["f_28", "f_29", "f_30", "f_27", "target"]
    write_csv(public / "train.csv", header, train)
    write_csv(public / "test.csv", header[:-1], [r[:-1] for r in test])
    sample = (["id", "target"], [(r[0], 0.5) for r in test])
    write_csv(public / "sample_submission.csv", *sample)
    write_csv(private / "test.csv", header, test)
    write_csv(private / "gold_submission.csv", ["id", "target"], [(r[0], r[-1]) for r in test])
    return Spec("id", ["target"], (["id", "target"], [(r[0], r[-1]) for r in test]), sample, "prob",
                [("invalid-range", "a probability above 1", "range"), ("invalid-missing-row", "one test id has no row", "drop")])


NUMBER_WORDS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "10": "ten", "12": "twelve", "20": "twenty"}
RU_NUMBER_WORDS = {"1": "один", "2": "два", "3": "три", "4": "четыре", "5": "пять", "10": "десять", "12": "двенадцать", "20": "двадцать"}
EN_WORDS = ["the", "house", "was", "built", "in", "by", "NA", "people", "who", "lived", "there"]
RU_WORDS = ["дом", "был", "построен", "в", "году", "люди", "жили", "там", "и", "NA"]


def text_normalization(rng, public, private, prefix, words, numbers):
    tokens = []
    for s in range(120):
        for t in range(rng.randint(4, 9)):
            if rng.random() < 0.2:
                before = rng.choice(sorted(numbers))
                tokens.append((s, t, "CARDINAL", before, numbers[before]))
            elif rng.random() < 0.1:
                tokens.append((s, t, "PUNCT", ".", "."))
            else:
                w = rng.choice(words)
                tokens.append((s, t, "PLAIN", w, w))
    sentences = list(range(120))
    train_s, test_s = split(rng, sentences, 0.15)
    train_map = {old: new for new, old in enumerate(sorted(train_s))}
    test_map = {old: new for new, old in enumerate(sorted(test_s))}
    train = [(train_map[s], t, c, b, a) for s, t, c, b, a in tokens if s in train_map]
    test = [(test_map[s], t, c, b, a) for s, t, c, b, a in tokens if s in test_map]

    def csv_text(header, rows):
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
        w.writerow(header)
        w.writerows(rows)
        return out.getvalue().encode("utf-8")

    write_zip(public / f"{prefix}_train.csv.zip", [(f"{prefix}_train.csv", csv_text(["sentence_id", "token_id", "class", "before", "after"], train))])
    write_zip(public / f"{prefix}_test_2.csv.zip", [(f"{prefix}_test_2.csv", csv_text(["sentence_id", "token_id", "before"], [r[:2] + r[3:4] for r in test]))])
    sample_rows = [(f"{s}_{t}", b) for s, t, _, b, _ in test]
    write_zip(public / f"{prefix}_sample_submission_2.csv.zip", [(f"{prefix}_sample_submission_2.csv", csv_text(["id", "after"], sample_rows))])
    answers = [(f"{s}_{t}", a) for s, t, _, _, a in test]
    write_csv(private / "answers.csv", ["id", "after"], answers, quote_all=True)
    write_csv(private / "sample_submission.csv", ["id", "after"], sample_rows, quote_all=True)
    return Spec("id", ["after"], (["id", "after"], answers), (["id", "after"], sample_rows), "text",
                [("invalid-duplicate-id", "one id twice, another missing", "duplicate"), ("invalid-missing-row", "one token has no row", "drop")])


def text_norm_en(rng, public, private):
    return text_normalization(rng, public, private, "en", EN_WORDS, NUMBER_WORDS)


def text_norm_ru(rng, public, private):
    return text_normalization(rng, public, private, "ru", RU_WORDS, RU_NUMBER_WORDS)


def whale(rng, public, private):
    clips = []
    for n in range(160):
        day = 28 if n < 100 else 30
        label = 1 if rng.random() < 0.3 else 0
        clips.append((day, n, label))
    train = [c for c in clips if c[0] == 28]
    test = [c for c in clips if c[0] == 30]
    members = [(f"train2/201203{d}_{n // 10:02d}{n % 60:02d}00_{n * 7 % 3600}s_TRAIN{n}_{y}.aif", aiff_bytes(rng, 0.6 * y)) for d, n, y in train]
    write_zip(public / "train2.zip", members)
    names = [(f"201203{d}_{n // 10:02d}{n % 60:02d}00_{n * 7 % 3600}s_Test{k}.aif", y) for k, (d, n, y) in enumerate(test)]
    write_zip(public / "test2.zip", [(f"test2/{name}", aiff_bytes(rng, 0.6 * y)) for name, y in names])
    sample = (["clip", "probability"], [(name, 0) for name, _ in names])
    write_csv(public / "sampleSubmission.csv", *sample)
    write_csv(private / "test.csv", ["clip", "probability"], names)
    return Spec("clip", ["probability"], (["clip", "probability"], names), sample, "prob",
                [("invalid-range", "a probability above 1", "range"), ("invalid-missing-row", "one clip has no row", "drop")])


# What each competition's rows are, for its description (the real descriptions say as much).
DATA = {
    "aerial-cactus-identification": "aerial photographs: images, one per row, named by id; does it show a columnar cactus",
    "aptos2019-blindness-detection": "retina photographs: images graded 0-4 for diabetic retinopathy",
    "denoising-dirty-documents": "scanned text pages: noisy images and their cleaned versions, predicted pixel by pixel",
    "detecting-insults-in-social-commentary": "text comments: text classification, is the comment an insult",
    "dog-breed-identification": "dog photographs: images, classify the breed",
    "dogs-vs-cats-redux-kernels-edition": "photographs of cats and dogs: images, the label is in the training file names",
    "histopathologic-cancer-detection": "microscope image patches: images, does the patch show tumour tissue",
    "jigsaw-toxic-comment-classification-challenge": "text comments: multi-label text classification of toxicity",
    "leaf-classification": "leaves: shape, margin and texture features plus images, classify the species",
    "mlsp-2013-birds": "bird song recordings: audio, which species sing in each recording",
    "new-york-city-taxi-fare-prediction": "taxi rides: tabular data, predict the fare",
    "nomad2018-predict-transparent-conductors": "crystal structures: tabular features plus geometry files, predict two energies",
    "plant-pathology-2020-fgvc7": "leaf photographs: images, which disease",
    "random-acts-of-pizza": "text requests with requester data (JSON records): text classification, was the pizza given",
    "ranzcr-clip-catheter-line-classification": "chest x-rays: images, catheter and line positions (multi-label)",
    "siim-isic-melanoma-classification": "skin lesion photographs and patient data: images, is it melanoma",
    "spooky-author-identification": "text sentences: text classification of the author",
    "tabular-playground-series-dec-2021": "forest cover: tabular data, classify the cover type",
    "tabular-playground-series-may-2022": "manufacturing control data: tabular, predict the state",
    "text-normalization-challenge-english-language": "text tokens: write each token as it is spoken (English)",
    "text-normalization-challenge-russian-language": "text tokens: write each token as it is spoken (Russian)",
    "the-icml-2013-whale-challenge-right-whale-redux": "underwater sound clips: audio, does the clip hold a right whale call",
}

# id → (name, grader name, answers, sample, writer, lower is better)
COMPETITIONS = {
    "aerial-cactus-identification": ("Aerial Cactus Identification", "auc-roc", "private/test.csv", "public/sample_submission.csv", aerial_cactus, False),
    "aptos2019-blindness-detection": ("APTOS 2019 Blindness Detection", "quadratic-weighted-kappa", "private/test.csv", "public/sample_submission.csv", aptos, False),
    "denoising-dirty-documents": ("Denoising Dirty Documents", "root_mean_squared_error", "private/answers.csv", "public/sampleSubmission.csv", denoising, True),
    "detecting-insults-in-social-commentary": ("Detecting Insults in Social Commentary", "auc-roc", "private/test.csv", "public/sample_submission_null.csv", insults, False),
    "dog-breed-identification": ("Dog Breed Identification", "multi-class-log-loss", "private/test.csv", "public/sample_submission.csv", dog_breed, True),
    "dogs-vs-cats-redux-kernels-edition": ("Dogs vs. Cats Redux: Kernels Edition", "log-loss", "private/answers.csv", "public/sample_submission.csv", dogs_vs_cats, True),
    "histopathologic-cancer-detection": ("Histopathologic Cancer Detection", "auc-roc", "private/answers.csv", "public/sample_submission.csv", histopathologic, False),
    "jigsaw-toxic-comment-classification-challenge": ("Toxic Comment Classification Challenge", "column-wise ROC AUC", "private/test.csv", "public/sample_submission.csv", jigsaw, False),
    "leaf-classification": ("Leaf Classification", "multi-class-log-loss", "private/test.csv", "public/sample_submission.csv", leaf, True),
    "mlsp-2013-birds": ("MLSP 2013 Bird Classification Challenge", "auc-roc", "private/answers.csv", "public/sample_submission.csv", mlsp_birds, False),
    "new-york-city-taxi-fare-prediction": ("New York City Taxi Fare Prediction", "root-mean-squared-error", "private/test.csv", "public/sample_submission.csv", nyc_taxi, True),
    "nomad2018-predict-transparent-conductors": ("Nomad2018 Predicting Transparent Conductors", "mean-column-wise-rmsle", "private/test.csv", "public/sample_submission.csv", nomad, True),
    "plant-pathology-2020-fgvc7": ("Plant Pathology 2020 - FGVC7", "mean-column-wise-roc-auc", "private/test.csv", "public/sample_submission.csv", plant_pathology, False),
    "random-acts-of-pizza": ("Random Acts of Pizza", "auc-roc", "private/test.csv", "public/sampleSubmission.csv", pizza, False),
    "ranzcr-clip-catheter-line-classification": ("RANZCR CLiP - Catheter and Line Position Challenge", "auc-roc", "private/test.csv", "public/sample_submission.csv", ranzcr, False),
    "siim-isic-melanoma-classification": ("SIIM-ISIC Melanoma Classification", "auc-roc", "private/test.csv", "public/sample_submission.csv", siim, False),
    "spooky-author-identification": ("Spooky Author Identification", "multi-class-log-loss", "private/test.csv", "public/sample_submission.csv", spooky, True),
    "tabular-playground-series-dec-2021": ("Tabular Playground Series - Dec 2021", "multi-class-classification-accuracy", "private/test.csv", "public/sample_submission.csv", tps_dec, False),
    "tabular-playground-series-may-2022": ("Tabular Playground Series - May 2022", "auc-roc", "private/test.csv", "public/sample_submission.csv", tps_may, False),
    "text-normalization-challenge-english-language": ("Text Normalization Challenge - English Language", "accuracy", "private/answers.csv", "private/sample_submission.csv", text_norm_en, False),
    "text-normalization-challenge-russian-language": ("Text Normalization Challenge - Russian Language", "accuracy", "private/answers.csv", "private/sample_submission.csv", text_norm_ru, False),
    "the-icml-2013-whale-challenge-right-whale-redux": ("The ICML 2013 Whale Challenge - Right Whale Redux", "auc-roc", "private/test.csv", "public/sampleSubmission.csv", whale, False),
}


# ----------------------------------------------------------------------------- checks

def random_submission(rng, spec):
    header, rows = spec.answers
    scored = [header.index(t) for t in spec.targets]
    out = []
    for row in rows:
        row = list(row)
        if spec.kind == "probs":
            weights = [rng.random() + 0.01 for _ in scored]
            total = sum(weights)
            for k, c in enumerate(scored):
                row[c] = num(weights[k] / total, 12)
        for c in scored if spec.kind != "probs" else []:
            if spec.kind == "prob":
                row[c] = num(rng.random())
            elif spec.kind.startswith("label:"):
                row[c] = rng.choice(spec.kind[6:].split(","))
            elif spec.kind == "number":
                row[c] = num(rng.uniform(0, 1) * (1 if header[c] == "value" else 30))
            elif spec.kind == "positive":
                row[c] = num(rng.uniform(0, 1) * (0.4 if c == 1 else 5))
            elif spec.kind == "text":
                row[c] = rng.choice(["one", "the", "house", "two", row[c]])
        out.append(row)
    return header, out


def invalid_submission(spec, how):
    header, rows = list(spec.answers[0]), [list(r) for r in spec.answers[1]]
    target = spec.targets[0]
    if how == "range":
        rows[0][header.index(target)] = "1.5"
    elif how == "range-low":
        rows[0][header.index(target)] = "-0.25"
    elif how == "drop":
        rows = rows[1:]
    elif how == "text":
        rows[0][header.index(target)] = "bright"
    elif how == "no-target":
        drop = header.index(spec.targets[-1] if len(spec.targets) > 1 and "threat" not in spec.targets else
                            ("threat" if "threat" in spec.targets else target))
        if "NGT - Normal" in spec.targets:
            drop = header.index("NGT - Normal")
        header.pop(drop)
        rows = [r[:drop] + r[drop + 1:] for r in rows]
    elif how == "double-row":
        first = rows[0]
        for t in spec.targets:
            c = header.index(t)
            first[c] = num(float(first[c]) * 2 if float(first[c]) > 0 else 0, 12)
    elif how == "extra-column":
        header.append("confidence")
        rows = [r + ["0.5"] for r in rows]
    elif how == "id-last":
        c = header.index(spec.id_column)
        header = header[:c] + header[c + 1:] + [header[c]]
        rows = [r[:c] + r[c + 1:] + [r[c]] for r in rows]
    elif how == "duplicate":
        rows[1][header.index(spec.id_column)] = rows[0][header.index(spec.id_column)]
    else:
        raise ValueError(how)
    return header, rows


def write_checks(folder, spec, rng):
    checks = folder / "checks"
    write_csv(checks / "perfect.csv", *spec.answers)
    write_csv(checks / "sample.csv", *spec.sample)
    write_csv(checks / "random.csv", *random_submission(rng, spec))
    invalid = {}
    for stem, reason, how in spec.invalid:
        write_csv(checks / f"{stem}.csv", *invalid_submission(spec, how))
        invalid[stem] = reason
    (checks / "checks.json").write_text(json.dumps({"id_column": spec.id_column, "targets": spec.targets, "invalid": invalid}, indent=2) + "\n")


def leaderboard(lower_is_better, perfect, sample, teams=40):
    """Made-up scores between the sample's and the perfect one, best first, as MLE-bench lists them."""
    scores = [perfect + (sample - perfect) * (k / teams) ** 1.5 for k in range(1, teams + 1)]
    rows = [(num(s, 5), f"team{k}", "True", "2020-01-01 00:00:00", num(s, 5), "True") for k, s in enumerate(scores)]
    return ["scoreNullable", "teamId", "hasTeamName", "submissionDate", "score", "hasScore"], rows


def synthesize(out, competition):
    name, grader, answers, sample, writer, lower = COMPETITIONS[competition]
    folder = out / competition
    public, private = folder / "prepared" / "public", folder / "prepared" / "private"
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    rng = random.Random(zlib.crc32(competition.encode()))
    spec = writer(rng, public, private)
    write_checks(folder, spec, rng)
    config = (
        f"id: {competition}\nname: \"{name}\"\ncompetition_type: simple\nawards_medals: true\n"
        f"description: mlebench/competitions/{competition}/description.md\n\n"
        f"dataset:\n  answers: {competition}/prepared/{answers}\n  sample_submission: {competition}/prepared/{sample}\n\n"
        f"grader:\n  name: {grader}\n  grade_fn: mlebench.competitions.{competition}.grade:grade\n\n"
        f"preparer: mlebench.competitions.{competition}.prepare:prepare\n"
    )
    (folder / "config.yaml").write_text(config)
    (folder / "description.md").write_text(
        f"# {name} (synthetic)\n\nThe data: {DATA[competition]}.\n\n"
        f"Small made-up data in the layout MLE-bench's `prepare.py` writes for `{competition}`; "
        f"the rows carry a simple learnable signal. Submit `{', '.join([spec.id_column] + spec.targets[:4])}"
        f"{', ...' if len(spec.targets) > 4 else ''}` as in the sample submission; graded by `{grader}`.\n")
    best, worst = (0.0, 1.0) if lower else (1.0, 0.5)
    write_csv(folder / "leaderboard.csv", *leaderboard(lower, best, worst))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", help="where the competition folders go")
    parser.add_argument("--only", default="", help="comma-separated competition ids (default: all 22)")
    parser.add_argument("--list", action="store_true", help="print the competition ids and exit")
    args = parser.parse_args()
    if args.list:
        print("\n".join(COMPETITIONS))
        return
    if args.out is None:
        parser.error("give the output folder (or --list)")
    chosen = [c for c in args.only.split(",") if c] or list(COMPETITIONS)
    unknown = [c for c in chosen if c not in COMPETITIONS]
    if unknown:
        sys.exit(f"unknown competition(s): {', '.join(unknown)}; see --list")
    for competition in chosen:
        synthesize(args.out, competition)
        print(f"wrote {args.out / competition}")


if __name__ == "__main__":
    main()

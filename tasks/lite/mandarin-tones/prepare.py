"""Mandarin tones: which of the four tones is a spoken syllable said with?

The gcin input method's pronunciation clips (Debian package `gcin-voice`, downloaded and
checked, never installed): 2,358 one-syllable Ogg Vorbis recordings by two voices, filed under
the syllable's zhuyin spelling with its tone as a trailing digit (none for the first tone).
The 13 clips whose folder ends in "1" are left out (their tone mark is ambiguous); the label is
the tone 1-4. The syllable itself is not given, only the sound and which voice speaks. Clips
keep their bytes; they are stored in train.zip / test.zip under their row ids. 80/20 random split.
"""

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import deb_members, fetch, parse_out, random_split, write_file_task  # noqa: E402

DEB = "http://deb.debian.org/debian/pool/main/g/gcin-voice/gcin-voice_0~20170223-3_all.deb"
DEB_SHA256 = "6a0353f0294d06f7bd901bada3d5d9eec63b66c2ec029f92da3124d93d45de70"
FOLDER = "usr/share/gcin-voice/ogg/"


def main() -> None:
    out = parse_out()
    members = deb_members(fetch(DEB, DEB_SHA256))
    rows = []
    for path in sorted(members):
        if not (path.startswith(FOLDER) and path.endswith(".ogg")):
            continue
        syllable, clip = path[len(FOLDER):].split("/")
        mark = syllable[-1]
        if mark == "1":
            continue
        rows.append({"source": path, "voice": "a" if clip == "3.ogg" else "b",
                     "tone": int(mark) if mark in "234" else 1})
    frame = pd.DataFrame(rows)
    train, test = random_split(frame)
    write_file_task(out, train, test, members, ".ogg", targets=["tone"], constants={"tone": 1})


if __name__ == "__main__":
    main()

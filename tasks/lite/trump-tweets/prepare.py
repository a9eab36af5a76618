"""Trump tweets (dslabs/trump_tweets): was a tweet sent from Android or from iPhone?

Only the 2016 campaign (2015-06-17 to 2016-11-08), when both phones were in use, and only
those two sources. 80/20 random split."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import load_rdataset, parse_out, random_split, write_task  # noqa: E402

ANDROID, IPHONE = "Twitter for Android", "Twitter for iPhone"


def main() -> None:
    out = parse_out()
    frame = load_rdataset("dslabs", "trump_tweets")
    in_campaign = (frame["created_at"] >= "2015-06-17") & (frame["created_at"] < "2016-11-09")
    frame = frame[in_campaign & frame["source"].isin([ANDROID, IPHONE])].reset_index(drop=True)
    frame = frame[["text", "created_at", "retweet_count", "favorite_count"]].assign(
        android=(frame["source"] == ANDROID).astype(int)
    )
    train, test = random_split(frame)
    write_task(out, train, test, targets=["android"], constants={"android": 0.5})


if __name__ == "__main__":
    main()

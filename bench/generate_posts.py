"""Benchmark: the demo posts generator (demo.data.posts) on a national month, written as import files.

    .venv/bin/python bench/generate_posts.py                    # 180,000 accounts, 2012-01, streamed
    .venv/bin/python bench/generate_posts.py --whole            # generate_posts' whole frames, then write
    /usr/bin/time -v .venv/bin/python bench/generate_posts.py   # peak RSS of the whole process

Steps: the national snapshots of the month (generate_snapshots, 337 cities); the posts and replies
matching them (totals=snapshots), streamed block by block into two CSV files under bench/out/ (gitignored)
with iter_posts and write_post_files, or with --whole generated as two whole frames first. Prints rows,
seconds per step and the peak RSS (ru_maxrss) so far after each step. No database, no Django.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demo.data import generate_snapshots  # noqa: E402
from demo.data.post_output import write_post_files, write_posts_csv, write_replies_csv  # noqa: E402
from demo.data.posts import generate_posts, iter_posts  # noqa: E402


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=180_000)
    parser.add_argument("--cities", type=int, default=337)
    parser.add_argument("--start", default="2012-01")
    parser.add_argument("--months", type=int, default=1)
    parser.add_argument("--whole", action="store_true", help="generate whole frames, then write them")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    posts_path, replies_path = arguments.out / "posts.csv", arguments.out / "replies.csv"

    began = time.perf_counter()
    snapshots = generate_snapshots(cities=arguments.cities, months=arguments.months, start=arguments.start,
                                   accounts=arguments.accounts)
    print(f"snapshots: {len(snapshots):,} rows in {time.perf_counter() - began:.1f} s, peak {_peak_mib():.0f} MiB")
    options = {"start": arguments.start, "months": arguments.months, "totals": snapshots}
    began = time.perf_counter()
    if arguments.whole:
        posts, replies = generate_posts(snapshots, **options)
        print(f"generate_posts: {len(posts):,} posts, {len(replies):,} replies in "
              f"{time.perf_counter() - began:.1f} s, peak {_peak_mib():.0f} MiB")
        began = time.perf_counter()
        write_posts_csv(posts, posts_path)
        write_replies_csv(replies, replies_path)
        rows = len(posts), len(replies)
    else:
        rows = write_post_files(iter_posts(snapshots, **options), posts_path, replies_path)
    print(f"written: {rows[0]:,} posts, {rows[1]:,} replies in {time.perf_counter() - began:.1f} s, "
          f"peak {_peak_mib():.0f} MiB; {posts_path.stat().st_size / 2**20:.0f} MiB + "
          f"{replies_path.stat().st_size / 2**20:.0f} MiB of CSV")


if __name__ == "__main__":
    main()

"""The demo posts and replies generator (demo.data.posts, issue 20 item 6) and its CSV writers.

No database: the generator is pure pandas/numpy. The shared data set is 60 cities over 2012-03..2012-05
(福临发布 and the other seed accounts are open), with posts matched to the snapshots.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from demo.data import CITIES, NAMED_ACCOUNTS, generate_snapshots
from demo.data.post_output import write_post_files, write_posts_csv, write_replies_csv
from demo.data.post_templates import POST_TOPICS
from demo.data.posts import (
    NAMED_BEHAVIOURS,
    POST_COLUMNS,
    REPLY_COLUMNS,
    account_behaviours,
    generate_posts,
    iter_posts,
)
from demo.data.reply_templates import BOILERPLATE

START, MONTHS = "2012-03", 3
KEY = ["platform", "account"]
PREFIX = re.compile(r"^回复@[^:：]+[:：]")


@pytest.fixture(scope="module")
def snapshots() -> pd.DataFrame:
    return generate_snapshots(cities=60, months=MONTHS, start=START, seed=42)


@pytest.fixture(scope="module")
def generated(snapshots: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return generate_posts(snapshots, start=START, months=MONTHS, seed=42, totals=snapshots)


@pytest.fixture(scope="module")
def posts(generated: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    return generated[0]


@pytest.fixture(scope="module")
def replies(generated: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    return generated[1]


@pytest.fixture(scope="module")
def behaviours(snapshots: pd.DataFrame) -> pd.DataFrame:
    return account_behaviours(snapshots, start=START, months=MONTHS, seed=42, totals=snapshots)


def _accounts_with(behaviours: pd.DataFrame, **flags: object) -> list[str]:
    rows = behaviours
    for column, value in flags.items():
        rows = rows[rows[column] == value]
    return list(rows["account"])


def _minutes(replies: pd.DataFrame) -> pd.Series:
    return (replies["replied_at"] - replies["asked_at"]).dt.total_seconds() / 60


def _grams(text: str) -> set[str]:
    return {text[i:i + 3] for i in range(len(text) - 2)}


def _near_duplicate_share(texts: list[str], threshold: float = 0.8) -> float:
    """Share of texts with another text of the list at character-trigram Jaccard >= threshold."""
    grams = [_grams(text) for text in texts]
    hits = sum(any(i != j and len(a & b) >= threshold * len(a | b) for j, b in enumerate(grams))
               for i, a in enumerate(grams))
    return hits / len(texts)


# Determinism and columns ---------------------------------------------------------------------------


def test_the_same_arguments_give_identical_frames(snapshots, posts, replies) -> None:
    again_posts, again_replies = generate_posts(snapshots, start=START, months=MONTHS, seed=42, totals=snapshots)
    # DataFrame.equals compares dtypes and values (assert_frame_equal takes 5 s on the text columns).
    assert again_posts.equals(posts) and again_replies.equals(replies)


def test_a_different_seed_gives_different_posts(snapshots, posts) -> None:
    other, _ = generate_posts(snapshots, start=START, months=MONTHS, seed=43, totals=snapshots)
    assert len(other) == len(posts)  # the counts are the snapshots'
    assert not other["text"].equals(posts["text"])


def test_the_columns_are_exactly_the_import_headers_of_the_issue(posts, replies) -> None:
    assert list(posts.columns) == ["city", "province", "account", "platform", "category", "level", "post_id",
                                   "posted_at", "text", "original", "reposts", "comments", "likes", "media"]
    assert list(replies.columns) == ["city", "province", "account", "platform", "category", "level", "asked_at",
                                     "question", "replied_at", "reply", "post_id"]
    assert tuple(posts.columns) == POST_COLUMNS and tuple(replies.columns) == REPLY_COLUMNS


def test_iter_posts_blocks_are_generate_posts_frames_in_pieces(snapshots, posts, replies, monkeypatch) -> None:
    monkeypatch.setattr("demo.data.posts.BLOCK_ACCOUNTS", 300)  # the demo's ~900 accounts in 4 blocks
    blocks = list(iter_posts(snapshots, start=START, months=MONTHS, seed=42, totals=snapshots))
    assert len(blocks) == 4
    streamed_posts = pd.concat([block[0] for block in blocks], ignore_index=True)
    # Blocks draw their own numbers, so the texts differ from one 2048-account block; the counts do not.
    assert len(streamed_posts) == len(posts)
    assert streamed_posts.groupby(KEY, observed=True).size().equals(posts.groupby(KEY, observed=True).size())


# Consistent with the snapshots -----------------------------------------------------------------------


def test_a_hand_built_month_is_matched_exactly() -> None:
    totals = pd.DataFrame({
        "city": ["长沙", "长沙"], "province": ["湖南", "湖南"], "account": ["平安芙蓉", "芙蓉发布"],
        "platform": ["sina", "tencent"], "category": ["police", "press"], "level": ["county", "county"],
        "period": ["2012-02", "2012-02"], "posts": [7, 3], "original_posts": [5, 3], "reposts": [40, 0],
        "comments": [12, 2], "likes": [9, 1], "replies": [4, 0],
        "last_post_on": pd.to_datetime(["2012-02-20", "2012-02-29"]),
    })
    posts, replies = generate_posts(totals, start="2012-02", months=1, seed=1, totals=totals)
    by_account = posts.groupby("account", observed=True)
    assert by_account.size().to_dict() == {"平安芙蓉": 7, "芙蓉发布": 3}
    assert by_account["original"].sum().to_dict() == {"平安芙蓉": 5, "芙蓉发布": 3}
    assert by_account[["reposts", "comments", "likes"]].sum().to_dict("list") == {
        "reposts": [40, 0], "comments": [12, 2], "likes": [9, 1]}
    assert by_account["posted_at"].max().dt.strftime("%Y-%m-%d").to_dict() == {
        "平安芙蓉": "2012-02-20", "芙蓉发布": "2012-02-29"}
    answered = replies.groupby("account", observed=True)["replied_at"].count()
    assert answered.get("平安芙蓉") == 4 and answered.get("芙蓉发布", 0) == 0
    asked = replies.groupby("account", observed=True).size()
    assert 4 <= asked["平安芙蓉"] <= 12  # the 4 answered + a share of the 8 other comments
    assert set(posts["platform"]) == {"sina", "tencent"}


def test_every_account_month_matches_its_snapshot(snapshots, posts, replies) -> None:
    month = posts["posted_at"].dt.strftime("%Y-%m").rename("period")
    made = posts.groupby([posts["platform"], posts["account"], month], observed=True).agg(
        posts=("post_id", "size"), original_posts=("original", "sum"), reposts=("reposts", "sum"),
        comments=("comments", "sum"), likes=("likes", "sum"), last=("posted_at", "max"))
    asked_month = replies["asked_at"].dt.strftime("%Y-%m").rename("period")
    answered = replies.groupby([replies["platform"], replies["account"], asked_month],
                               observed=True)["replied_at"].count().rename("answered")
    posting = snapshots[snapshots["posts"] > 0].astype({"platform": str, "account": str, "period": str})
    expected = posting.set_index(["platform", "account", "period"])
    made.index = made.index.set_levels([level.astype(str) for level in made.index.levels])
    answered.index = answered.index.set_levels([level.astype(str) for level in answered.index.levels])
    joined = expected.join(made.add_suffix("_made")).join(answered)
    assert len(made) == len(expected)
    for column in ("posts", "original_posts", "reposts", "comments", "likes"):
        assert (joined[column] == joined[f"{column}_made"]).all(), column
    assert (joined["replies"] == joined["answered"].fillna(0)).all()
    assert (joined["last_post_on"].dt.date == joined["last_made"].dt.date).all()


# Behaviours ------------------------------------------------------------------------------------------


def _longest_gap(days: set[int], last: int) -> int:
    """Longest run of days 1..last without a post."""
    longest = run = 0
    for day in range(1, last + 1):
        run = 0 if day in days else run + 1
        longest = max(longest, run)
    return longest


def test_silent_accounts_go_quiet_for_two_weeks_or_more_every_month(posts, behaviours) -> None:
    silent = set(_accounts_with(behaviours, silent=True))
    assert len(silent) >= 20
    checked = 0
    for (account, _month), rows in posts[posts["account"].isin(silent)].groupby(
            ["account", posts["posted_at"].dt.month], observed=True):
        days = set(rows["posted_at"].dt.day)
        if max(days) >= 26:  # the gap fits before the month's last post
            assert _longest_gap(days, max(days)) >= 14, account
            checked += 1
    assert checked >= 20
    busy = posts[~posts["account"].isin(silent)].groupby(["account", posts["posted_at"].dt.month],
                                                         observed=True)
    gaps = [_longest_gap(set(rows["posted_at"].dt.day), 31) for _, rows in busy if len(rows) >= 90]
    assert gaps and max(gaps) < 14  # accounts posting every day or so never stop for two weeks


def test_the_snapshots_empty_shells_post_nothing(snapshots, posts) -> None:
    shells = snapshots.groupby(KEY, observed=True)["posts"].sum().loc[lambda total: total == 0].index
    assert len(shells) >= 20
    assert not posts.set_index(KEY).index.isin(shells).any()


def test_never_replying_accounts_have_questions_and_no_reply(replies, behaviours) -> None:
    never = _accounts_with(behaviours, speed="never")
    asked = replies[replies["account"].isin(never)]
    assert asked["account"].nunique() >= 20
    assert asked["replied_at"].isna().all() and asked["reply"].isna().all()
    assert (behaviours.loc[behaviours["speed"] == "never", "answered"] == 0).all()


def test_fast_accounts_answer_within_the_hour_and_slow_ones_in_days(replies, behaviours) -> None:
    answered = replies.dropna(subset=["replied_at"])
    medians = [_minutes(rows).median() for _, rows in answered[answered["account"].isin(
        _accounts_with(behaviours, speed="fast"))].groupby("account", observed=True) if len(rows) >= 20]
    assert len(medians) >= 10 and max(medians) < 60
    fast = _minutes(answered[answered["account"].isin(_accounts_with(behaviours, speed="fast"))])
    assert (fast <= 60).mean() > 0.9
    slow = _minutes(answered[answered["account"].isin(_accounts_with(behaviours, speed="slow"))])
    assert slow.median() > 24 * 60 and (slow <= 60).mean() < 0.01
    assert (_minutes(answered) > 0).all()


def test_boilerplate_accounts_paste_one_reply_and_others_do_not(replies, behaviours) -> None:
    answers = replies.dropna(subset=["reply"]).assign(
        body=lambda rows: rows["reply"].str.replace(PREFIX, "", regex=True))
    pasting = answers[answers["account"].isin(_accounts_with(behaviours, boilerplate=True))]
    most_repeated = [rows["body"].value_counts() for _, rows in pasting.groupby("account", observed=True)
                     if len(rows) >= 20]
    assert len(most_repeated) >= 5
    for counts in most_repeated:
        assert counts.index[0] == BOILERPLATE and counts.iloc[0] >= 0.4 * counts.sum()
    caring = answers[answers["account"].isin(_accounts_with(behaviours, boilerplate=False))]
    shares = [rows["body"].value_counts().iloc[0] / len(rows)
              for _, rows in caring.groupby("account", observed=True) if len(rows) >= 50]
    assert len(shares) >= 10 and max(shares) < 0.05


def test_some_replies_begin_with_the_citizens_name(replies) -> None:
    named = replies["reply"].dropna().str.match(PREFIX)
    assert 0.3 < named.mean() < 0.7


def test_the_seed_articles_accounts_behave_as_the_article_says(posts, replies, behaviours) -> None:
    assert set(NAMED_BEHAVIOURS) == {account.name for account in NAMED_ACCOUNTS}
    by_name = behaviours.set_index("account")
    for name in ("长沙警事", "微天心", "福临发布"):
        assert by_name.loc[name, "speed"] == "fast"
        assert not by_name.loc[name, "boilerplate"] and not by_name.loc[name, "silent"]
        assert _minutes(replies[replies["account"] == name].dropna(subset=["replied_at"])).median() < 60
    fulin = replies[replies["account"] == "福临发布"]
    monthly = fulin.groupby(fulin["asked_at"].dt.month)["replied_at"].agg(lambda r: r.notna().mean())
    assert (monthly > 0.9).all()  # "评论回复率、对话率都在90%以上"
    assert len(fulin) == posts.loc[posts["account"] == "福临发布", "comments"].sum()  # every comment asks


# Times, ids, texts -----------------------------------------------------------------------------------


def test_times_are_china_time_inside_the_months_at_plausible_hours(posts, replies) -> None:
    assert posts["posted_at"].dt.tz is None  # wall-clock China time, no offset
    assert posts["posted_at"].min() >= pd.Timestamp("2012-03-01")
    assert posts["posted_at"].max() < pd.Timestamp("2012-06-01")
    hours = posts["posted_at"].dt.hour
    assert hours.between(8, 18).mean() > 0.6 and hours.between(1, 5).mean() < 0.03
    assert replies["asked_at"].max() < pd.Timestamp("2012-06-01")
    on_posts = replies.dropna(subset=["post_id"]).merge(posts[["post_id", "posted_at"]], on="post_id")
    assert len(on_posts) == replies["post_id"].notna().sum()
    assert (on_posts["asked_at"] >= on_posts["posted_at"]).all()
    assert 0.03 < replies["post_id"].isna().mean() < 0.15  # @mentions outside any post


def test_post_ids_are_unique_per_platform_and_grow_with_time(posts) -> None:
    assert not posts.duplicated(["platform", "post_id"]).any()
    for _platform, rows in posts.groupby("platform", observed=True):
        ordered = rows.sort_values("posted_at")
        seconds = ordered["posted_at"].astype("int64")
        assert (np.diff(ordered["post_id"]) > 0)[np.diff(seconds) > 0].all()
    assert posts["post_id"].astype(str).str.len().eq(16).all()


def test_every_post_names_its_city(posts) -> None:
    cities = {city.name: city.short for city in CITIES}
    short = posts["city"].map(cities).astype(str)
    assert all(name in text for name, text in zip(short, posts["text"], strict=True))


def test_every_post_template_names_the_city() -> None:
    for topics in POST_TOPICS.values():
        for topic in topics:
            for template in topic.templates:
                assert "{city}" in template or "{cityf}" in template, template


def test_originals_and_reposts_are_mixed_and_reposts_quote_a_leading_account(posts) -> None:
    assert 0.5 < posts["original"].mean() < 0.8
    reposts = posts.loc[posts["original"] == 0, "text"]
    assert reposts.str.contains("//@", regex=False).all()
    assert not posts.loc[posts["original"] == 1, "text"].str.contains("//@", regex=False).any()


def test_ordinary_posts_are_not_near_duplicates_of_each_other(posts, behaviours) -> None:
    may = posts[(posts["posted_at"].dt.month == 5) & (posts["original"] == 1)]
    for name in ("长沙警事", "湖南省交警总队", "福临发布"):
        texts = list(may.loc[may["account"] == name, "text"])[:300]
        assert len(texts) >= 100 and _near_duplicate_share(texts) < 0.05, name


def test_engagement_is_heavy_tailed(posts) -> None:
    comments = posts.loc[posts["account"] == "长沙警事", "comments"].sort_values(ascending=False)
    assert comments.iloc[: len(comments) // 10].sum() > 0.4 * comments.sum()
    assert comments.max() > 10 * comments.median()


# Without snapshots: drawn counts --------------------------------------------------------------------


def test_without_totals_counts_are_drawn_with_the_same_behaviours(snapshots) -> None:
    accounts = snapshots.drop_duplicates(KEY)[["city", "province", "account", "platform", "category", "level"]]
    posts, replies = generate_posts(accounts, start="2012-05", months=1, seed=42)
    per_account = posts.groupby(KEY, observed=True).size().reindex(
        pd.MultiIndex.from_frame(accounts[KEY].astype(str)), fill_value=0)
    assert (per_account <= 2).mean() > 0.03  # near-empty shells (空壳)
    by_level = posts.groupby("level", observed=True).size() / accounts.groupby("level", observed=True).size()
    assert by_level["city"] > by_level["county"] > by_level["township"]
    drawn = account_behaviours(accounts, start="2012-05", months=1, seed=42)
    never = replies[replies["account"].isin(_accounts_with(drawn, speed="never"))]
    assert len(never) > 0 and never["replied_at"].isna().all()
    assert set(drawn.loc[drawn["account"].isin(NAMED_BEHAVIOURS), "speed"]) <= {"fast", "normal"}


def test_impossible_arguments_are_refused(snapshots) -> None:
    with pytest.raises(ValueError, match="lacks the columns level"):
        generate_posts(snapshots.drop(columns="level"), months=1)
    with pytest.raises(ValueError, match="unknown cities"):
        generate_posts(snapshots.assign(city="亚特兰蒂斯"), months=1)
    with pytest.raises(ValueError, match="no rows for 2012-06"):
        generate_posts(snapshots, start="2012-05", months=2, totals=snapshots)
    with pytest.raises(ValueError, match="start must be YYYY-MM"):
        generate_posts(snapshots, start="1999-12", months=1)


# Files -------------------------------------------------------------------------------------------------


def test_chinese_files_have_the_issues_headers_and_parseable_times(posts, replies, tmp_path: Path) -> None:
    write_posts_csv(posts, tmp_path / "posts.csv")
    write_replies_csv(replies, tmp_path / "replies.csv")
    read_posts = pd.read_csv(tmp_path / "posts.csv", dtype=str, keep_default_na=False)
    read_replies = pd.read_csv(tmp_path / "replies.csv", dtype=str, keep_default_na=False)
    assert list(read_posts.columns) == ["城市", "省份", "账号", "平台", "类别", "级别", "微博ID", "发布时间", "内容",
                                        "原创", "转发数", "评论数", "点赞数", "媒体"]
    assert list(read_replies.columns) == ["城市", "省份", "账号", "平台", "类别", "级别", "提问时间", "提问内容",
                                          "回复时间", "回复内容", "微博ID"]
    assert read_posts["发布时间"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all()
    parsed = pd.to_datetime(read_posts["发布时间"], format="%Y-%m-%d %H:%M:%S")
    assert (parsed.to_numpy() == posts["posted_at"].to_numpy()).all()
    assert set(read_posts["原创"]) == {"是", "否"} and set(read_posts["平台"]) == {"新浪微博", "腾讯微博"}
    unanswered = read_replies["回复时间"] == ""
    assert unanswered.sum() == replies["replied_at"].isna().sum()
    assert (read_replies.loc[unanswered, "回复内容"] == "").all()
    pd.to_datetime(read_replies.loc[~unanswered, "回复时间"], format="%Y-%m-%d %H:%M:%S")
    assert read_posts["微博ID"].astype(np.int64).tolist() == posts["post_id"].tolist()


def test_streamed_files_equal_the_whole_frames_written(snapshots, tmp_path: Path) -> None:
    few = snapshots[snapshots["city"].isin(["长沙", "株洲"])]
    posts, replies = generate_posts(few, start=START, months=MONTHS, totals=few)
    whole_posts, whole_replies = io.StringIO(), io.StringIO()
    write_posts_csv(posts, whole_posts, headers="en")
    write_replies_csv(replies, whole_replies, headers="en")
    rows = write_post_files(iter_posts(few, start=START, months=MONTHS, totals=few), tmp_path / "p.csv",
                            tmp_path / "r.csv", headers="en")
    assert rows == (len(posts), len(replies))
    assert (tmp_path / "p.csv").read_text(encoding="utf-8") == whole_posts.getvalue()
    assert (tmp_path / "r.csv").read_text(encoding="utf-8") == whole_replies.getvalue()
    assert whole_posts.getvalue().splitlines()[0] == ",".join(POST_COLUMNS)


# National scale ------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_national_month_has_millions_of_posts_and_about_a_million_questions() -> None:
    snapshots = generate_snapshots(cities=337, months=1, start="2012-01", seed=42, accounts=180_000)
    posts = questions = 0
    for block_posts, block_replies in iter_posts(snapshots, start="2012-01", months=1, totals=snapshots):
        posts, questions = posts + len(block_posts), questions + len(block_replies)
    assert posts == snapshots["posts"].sum()  # 5.8 million: the snapshots' own
    assert 900_000 < questions < 1_100_000

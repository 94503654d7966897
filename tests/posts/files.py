"""Builders of the files the post tests import: weibo-crawler's output exactly as its writer makes it, and
post/reply table files."""
from __future__ import annotations

import csv
from pathlib import Path

# weibo.py get_result_headers (dataabc/weibo-crawler, commit 93cd292), only_crawl_original off.
RESULT_HEADERS = ["id", "bid", "正文", "头条文章url", "原始图片url", "视频url", "Live Photo视频url", "位置", "日期", "工具",
                  "点赞数", "评论数", "转发数", "话题", "@用户", "完整日期", "是否编辑过", "编辑次数"]
POST_HEADERS = RESULT_HEADERS + ["是否原创", "源用户id", "源用户昵称"] + ["源微博" + header for header in RESULT_HEADERS]
COMMENT_HEADERS = ["id", "weibo_id", "created_at", "user_screen_name", "text", "pic_url", "like_count"]

POSTS_HEADER = "城市,省份,账号,类别,级别,微博ID,发布时间,内容,原创,转发数,评论数,点赞数\n"
REPLIES_HEADER = "city,province,account,category,level,asked_at,question,replied_at,reply,post_id\n"


def crawled_post(post_id: int, date: str, text: str, *, likes: int = 0, comments: int = 0, reposts: int = 0,
                 images: str = "", video: str = "", article: str = "", repost_of: int | None = None) -> list:
    """One row as get_write_info makes it: the id with a trailing tab, 日期 %Y-%m-%dT%H:%M:%S, 完整日期 with a
    space, 是否原创 a Python bool; an original post's row ends there, a repost's goes on with the source."""
    row = [f"{post_id}\t", f"bid{post_id}", text, article, images, video, "", "", date, "微博 weibo.com", likes,
           comments, reposts, "", "", date.replace("T", " "), False, 0]
    if repost_of is None:
        return [*row, True]
    source = [f"{repost_of}\t", f"bid{repost_of}", "原微博", "", "", "", "", "", date, "", 1, 1, 1, "", "",
              date.replace("T", " ")]
    return [*row, False, "1000", "某人", *source]


def crawler_posts_file(folder: Path, uid: str, rows: list[list], *, append: bool = False) -> Path:
    """`<uid>.csv` as csv_helper writes it: opened in append mode with utf-8-sig (the BOM only at the start),
    the header only when the file is new."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uid}.csv"
    first = not path.exists()
    with path.open("a", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        if first:
            writer.writerows([POST_HEADERS])
        writer.writerows(rows)
    return path


def crawler_comment_files(folder: Path, screen_name: str, rows: list[list]) -> list[Path]:
    """export_comments_to_csv_for_current_user: the summary file, then one file per post with its rows."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / f"{screen_name}_comments.csv"]
    by_post: dict[str, list[list]] = {}
    for row in rows:
        by_post.setdefault(row[1], []).append(row)
    written += [folder / f"{screen_name}_{post_id}_comments.csv" for post_id in by_post]
    for path, body in zip(written, [rows, *by_post.values()], strict=True):
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(COMMENT_HEADERS)
            writer.writerows(body)
    return written


def comment(comment_id: int, post_id: int, when: str, name: str, text: str) -> list:
    """A comment row; when: "May 02 09:00:00" of 2012, written in Weibo's form (Wed May 02 09:00:00 +0800 2012)."""
    from datetime import datetime

    moment = datetime.strptime(f"2012 {when}", "%Y %b %d %H:%M:%S")
    return [str(comment_id), str(post_id), moment.strftime("%a %b %d %H:%M:%S +0800 %Y"), name, text, "", 0]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path

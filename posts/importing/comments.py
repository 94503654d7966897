"""Questions and answers told from an account's comment threads (weibo-crawler's comment files). pandas only.

The rule (also on the method page):
- comments repeated across files (the summary `<name>_comments.csv` and each post's
  `<name>_<post id>_comments.csv` hold the same ones) count once, by comment id;
- a comment by anyone but the account that does not itself begin with `回复@` is a question, asked at
  its time;
- it is answered by the account's first comment on the same post, strictly later, that begins
  `回复@<that commenter>:` (or with a full-width `：`), at that comment's time; one answer may answer
  several questions of the same commenter on that post;
- a question without such a comment is unanswered.
Two questions to the account at the same time with the same text are one question (the key of a reply).

Input `comments`: comment_id, post_id, at (int64 microseconds since 1970 UTC), name (the commenter's
screen name), text. Output: one row per question, in time order: asked_at, question, replied_at
(NO_TIME when unanswered), reply ("" when unanswered), post_id, asker (the commenter's name: the caller
hashes it and keeps only the hash).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

NO_TIME = np.iinfo(np.int64).min
REPLY_PREFIX = "回复@"
_ANSWER = r"^回复@(.+?)[:：]"

COMMENT_COLUMNS = ("comment_id", "post_id", "at", "name", "text")
REPLY_COLUMNS = ("asked_at", "question", "replied_at", "reply", "post_id", "asker")


def replies_from_comments(comments: pd.DataFrame, *, account_names: set[str]) -> pd.DataFrame:
    """The questions among the comments and the account's answers to them, by the rule above."""
    comments = comments.drop_duplicates("comment_id", keep="first")
    texts = comments["text"].astype(object).fillna("").astype(str)
    own = comments["name"].isin(account_names).to_numpy()
    prefixed = texts.str.startswith(REPLY_PREFIX).to_numpy(dtype=bool)
    questions = comments.loc[~own & ~prefixed, ["post_id", "at", "name", "text"]]
    target = texts[own & prefixed].str.extract(_ANSWER, expand=False)
    answers = pd.DataFrame({"post_id": comments.loc[own & prefixed, "post_id"], "name": target,
                            "replied_at": comments.loc[own & prefixed, "at"],
                            "reply": comments.loc[own & prefixed, "text"]}).dropna(subset=["name"])
    if questions.empty:
        return pd.DataFrame({name: pd.Series(dtype="int64" if name.endswith("_at") else object)
                             for name in REPLY_COLUMNS})
    answered = pd.merge_asof(
        questions.astype({"at": "int64"}).sort_values("at", kind="stable"),
        answers.astype({"replied_at": "int64"}).sort_values("replied_at", kind="stable"),
        left_on="at", right_on="replied_at", by=["post_id", "name"],
        direction="forward", allow_exact_matches=False,
    )
    replies = pd.DataFrame({
        "asked_at": answered["at"].to_numpy(dtype=np.int64),
        "question": answered["text"].astype(object).fillna("").to_numpy(dtype=object),
        "replied_at": answered["replied_at"].fillna(NO_TIME).to_numpy(dtype=np.int64),
        "reply": answered["reply"].astype(object).fillna("").to_numpy(dtype=object),
        "post_id": answered["post_id"].to_numpy(dtype=object),
        "asker": answered["name"].to_numpy(dtype=object),
    })
    return replies.drop_duplicates(["asked_at", "question"], keep="first").reset_index(drop=True)

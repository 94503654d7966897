"""Benchmark: the post indicators (posts/indicators) over a synthetic national month, in memory, no database.

    /usr/bin/time -v .venv/bin/python bench/post_indicators.py                 # 180,000 accounts, ~6.5 M posts
    /usr/bin/time -v .venv/bin/python bench/post_indicators.py --accounts 18000   # a tenth

The month (March 2012) is generated chunk by chunk (--chunk accounts at a time), as a selector reading the
accounts in chunks would hand them over: a national month's post texts alone take 1.4 GiB as Python strings
(at this benchmark's 76 characters a post; 2 GiB at 120), more than the 1 GiB bound, so no caller can hold
them at once. Per account: a heavy-tailed number of posts (mean 36; 8 % post nothing, some stop posting
mid-month) with Chinese texts of 76 characters on average (Weibo allowed 140 in 2012) built from
government-post sentences, place names and random characters (so that nothing is cached away); a
heavy-tailed number of questions (mean 5.6; 0.1 % of the accounts are busy, with 300 to 3,000 questions, so
that some go through MinHashLSH); 10 % of the accounts never answer, the others answer a share of their
questions after a log-normal delay; a third paste canned replies.

Each chunk is computed step by step with the package's functions (what post_indicators does, timed apart),
plus hot posts per account and per city (the per-city lists of the chunks combined at the end, as hot.py
describes). Generation is not timed. Prints the wall-clock and CPU time of each step, the totals, and the
peak RSS of the process (ru_maxrss: generation included); /usr/bin/time -v reports the same peak.
"""
from __future__ import annotations

import argparse
import datetime
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
START, END = datetime.date(2012, 3, 1), datetime.date(2012, 3, 31)
POSTS_PER_ACCOUNT = 39.2  # before 8 % are emptied: 6.5 million posts over 180,000 accounts
QUESTIONS_PER_ACCOUNT = 4.75  # with the busy accounts below: 1 million questions
BUSY_ACCOUNTS = 0.001  # a city police account: 300 to 3,000 questions in the month
CITIES = 337

OPENINGS = ["【路况信息】", "【警情通报】", "【便民提示】", "#平安城市#", "【文旅推介】", "【辟谣】", "【招聘公告】",
            "【天气】", "#早安#", "【通知】", "【政策解读】", "", "", "", "", "", "", ""]
SENTENCES = [
    "今天早高峰期间部分路段车流量较大", "请广大市民合理安排出行时间", "市公安局成功破获一起电信诈骗案件",
    "犯罪嫌疑人已被依法刑事拘留", "网传我市将全面限行的消息不实", "请不信谣不传谣", "明日上午八点至下午六点停水",
    "受影响区域的居民请提前做好储水准备", "景区推出春季赏花活动", "欢迎广大游客前来游玩", "今年公务员考试报名时间公布",
    "符合条件的考生可登录网站报名", "气象台发布暴雨蓝色预警", "请注意防范强降雨带来的不利影响", "社区开展志愿服务活动",
    "我们始终坚持以人民为中心", "感谢大家一直以来的关注和支持", "青年志愿者走进敬老院看望老人", "本周末将举办读书分享会",
    "市民可通过服务热线反映问题", "办事群众可提前预约办理", "新修订的管理办法将于下月起施行", "一图读懂今年的政府工作报告",
    "春风送暖万物复苏", "早上好新的一天开始了", "转发微博", "让我们一起为家乡点赞", "交警在路口疏导交通",
    "高速公路部分路段封闭施工", "请过往车辆注意绕行", "全市共受理群众来信来访百余件", "城管队员清理占道经营摊点",
    "医保报销比例进一步提高", "身份证办理时限缩短为七个工作日", "非遗传承人现场展示传统技艺", "民宿预订量同比增长",
    "关于开展安全生产大检查的通知", "现将有关事项公告如下", "应急管理部门连夜转移受灾群众", "消防员及时扑灭一处火灾",
]
# Sentences on no topic of the dictionary: a post is three or four sentences, so about half the posts are
# on a topic.
NEUTRAL = [
    "今天是学雷锋纪念日", "一起来看看这组照片吧", "这样的好人好事值得点赞", "小朋友们在公园里放风筝",
    "老街的早餐店排起了长队", "图书馆里座无虚席", "清晨的江边有许多晨练的市民", "他用行动诠释了责任与担当",
    "每一份坚守都值得被看见", "生活中处处有温暖", "你的家乡今天天气怎么样", "周末愉快", "致敬最美劳动者",
    "一张图看懂我们的一年", "记者从相关部门获悉", "这个春天我们一起努力", "晚安好梦", "点击视频了解更多",
    "来听听他们怎么说", "奋斗的青春最美丽", "城市的夜景美不胜收", "又是一年油菜花开时", "老师和同学们一起植树",
    "节能减排从我做起", "志愿者的笑容最动人", "一起为他们加油", "欢迎大家留言讨论", "感谢每一位默默付出的人",
    "这里曾经是一片荒地", "如今已经变成了市民休闲的好去处", "习惯成自然", "细节决定成败", "让城市更美好",
    "为梦想不断前行", "点亮心中的灯", "好消息来了", "你们期待吗", "一起来围观", "答案在这里", "快来转发扩散吧",
    "这些变化你感受到了吗", "小区门口新开了一家书店", "孩子们的笑声回荡在操场上", "一碗热汤暖人心",
    "这是他坚守岗位的第十年", "老党员讲述自己的入党故事", "我们的日子越过越红火", "向着美好生活出发",
    "用心用情服务每一位群众", "下雨天路滑开车慢一点", "早睡早起身体好", "春天的第一场雨如期而至",
    "这一刻我们都是追梦人", "平凡岗位上的不平凡", "在这里读懂中国", "传承红色基因", "把论文写在大地上",
    "美好的一天从微笑开始", "这份坚持令人动容", "谢谢你们守护万家灯火", "一路有你真好", "岁月静好是因为有人负重前行",
]
CANNED = ["您好，您反映的问题已转交相关部门处理，感谢您的关注。", "感谢您的关注与支持！", "您好，请拨打12345热线咨询。",
          "已收到，我们会尽快核实处理。"]
PLACE_CHARACTERS = list("长沙岳麓天心开福雨花芙蓉望城浏阳宁乡湘潭株洲衡阳常德益阳娄底郴州永州怀化邵阳东西南北中新华解放人民")
COMMON = list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
              "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
              "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道")


def _texts(rng: np.random.Generator, count: int, pieces: list[str], noise: tuple[int, int]) -> np.ndarray:
    """`count` texts: a random opening, a place name, three or four sentences of `pieces`, and `noise`
    (low, high) random common characters, so that texts do not repeat. Built row by row in batches, so
    that generating holds little more than the texts themselves."""
    places = ["".join(rng.choice(PLACE_CHARACTERS, size=3)) for _ in range(400)]
    choices = [rng.integers(len(OPENINGS), size=count), rng.integers(len(places), size=count),
               *(rng.integers(len(pieces), size=count) for _ in range(4))]
    fourth = rng.random(count) < 0.5
    lengths = rng.integers(noise[0], noise[1], size=count)
    characters = np.array([ord(character) for character in COMMON], dtype=np.uint32)
    texts = np.empty(count, dtype=object)
    for first in range(0, count, 20_000):
        stop = min(count, first + 20_000)
        codes = characters[rng.integers(len(characters), size=(stop - first, noise[1]))]
        fillers = codes.view(f"<U{noise[1]}").ravel()
        texts[first:stop] = [
            OPENINGS[opening] + places[place] + pieces[one] + "，" + pieces[two] + "，" + pieces[three] + "。"
            + (pieces[four] if more else "") + filler[:length]
            for opening, place, one, two, three, four, more, filler, length in zip(
                *(choice[first:stop] for choice in choices), fourth[first:stop], fillers,
                lengths[first:stop], strict=True)
        ]
    return texts


def _times(rng: np.random.Generator, days: np.ndarray) -> pd.Series:
    """Timestamps in China time on the given days of March 2012 (0 = 1 March), at random seconds."""
    seconds = days * 86_400 + rng.integers(0, 86_400, size=len(days))
    naive = np.datetime64("2012-03-01T00:00:00", "ns") + seconds.astype("timedelta64[s]")
    return pd.Series(naive).dt.tz_localize("Asia/Shanghai")


def generate_posts(rng: np.random.Generator, accounts: np.ndarray, first_post_id: int) -> pd.DataFrame:
    """The month's posts of `accounts` (columns.POST_COLUMNS) plus city_id."""
    counts = rng.negative_binomial(1.2, 1.2 / (1.2 + POSTS_PER_ACCOUNT), size=len(accounts))
    counts[rng.random(len(accounts)) < 0.08] = 0  # 空壳: nothing this month
    last_day = np.where(rng.random(len(accounts)) < 0.15, rng.integers(0, 31, size=len(accounts)), 30)
    account = np.repeat(accounts, counts)
    days = (rng.random(len(account)) * (np.repeat(last_day, counts) + 1)).astype(np.int64)
    total = len(account)
    interactions = rng.lognormal(1.0, 1.6, size=(3, total)).astype(np.int64)
    return pd.DataFrame({
        "account_id": account,
        "post_id": pd.Series(np.arange(first_post_id, first_post_id + total)).astype(str),
        "posted_at": _times(rng, days),
        "text": _texts(rng, total, SENTENCES + NEUTRAL * 4, (20, 50)),
        "original": rng.random(total) < 0.7,
        "reposts": interactions[0], "comments": interactions[1], "likes": interactions[2],
        "city_id": account % CITIES,
    })


def generate_replies(rng: np.random.Generator, accounts: np.ndarray) -> pd.DataFrame:
    """The month's questions to `accounts` and their answers (columns.REPLY_COLUMNS)."""
    counts = rng.negative_binomial(0.6, 0.6 / (0.6 + QUESTIONS_PER_ACCOUNT), size=len(accounts))
    busy = rng.random(len(accounts)) < BUSY_ACCOUNTS
    counts[busy] = np.exp(rng.uniform(np.log(300), np.log(3000), size=busy.sum())).astype(np.int64)
    answering = np.where(rng.random(len(accounts)) < 0.10, 0.0, rng.beta(4, 2, size=len(accounts)))
    canned = rng.random(len(accounts)) < 0.33
    account = np.repeat(accounts, counts)
    total = len(account)
    asked = _times(rng, rng.integers(0, 31, size=total))
    answered = rng.random(total) < np.repeat(answering, counts)
    delay = pd.to_timedelta(np.exp(rng.normal(np.log(90), 1.5, size=total)) * 60, unit="s").round("s")
    own = _texts(rng, total, SENTENCES + NEUTRAL, (1, 12))
    paste = np.repeat(canned, counts) & (rng.random(total) < 0.7)
    text = np.where(paste, np.array(CANNED, dtype=object)[rng.integers(len(CANNED), size=total)], own)
    text = np.where(rng.random(total) < 0.8, "回复@网友" + pd.Series(rng.integers(0, 10**6, size=total)).astype(str)
                    .to_numpy(dtype=object) + ":" + text, text)
    return pd.DataFrame({
        "account_id": account,
        "asked_at": asked,
        "question": _texts(rng, total, NEUTRAL, (1, 10)),
        "replied_at": (asked + delay).where(answered),
        "reply": pd.Series(text, dtype=object).where(answered, None),
    })


def measure_chunk(posts: pd.DataFrame, replies: pd.DataFrame, accounts: np.ndarray, dictionary: object,
                  seconds: dict[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The chunk's indicators and its per-city hot posts; each step's wall-clock and CPU time added to
    `seconds` (CPU time does not count waiting for a core another process holds)."""
    from posts.indicators import activity_indicators, hot_posts, response_indicators
    from posts.indicators.boilerplate import boilerplate_rate, reply_groups, templates
    from posts.indicators.content import service_content

    period = {"accounts": accounts, "start": START, "end": END}
    steps = {
        "activity": lambda: activity_indicators(posts, **period),
        "responses": lambda: response_indicators(replies, **period),
        "boilerplate": lambda: _boilerplate(replies, period, reply_groups, boilerplate_rate, templates),
        "service content": lambda: service_content(posts, **period, dictionary=dictionary)[0],
        "hot posts per account": lambda: hot_posts(posts, start=START, end=END, top=10),
        "hot posts per city": lambda: hot_posts(posts, start=START, end=END, by="city_id", top=10),
    }
    results = {}
    for name, step in steps.items():
        began, cpu = time.perf_counter(), time.process_time()
        results[name] = step()
        seconds[name] += time.perf_counter() - began
        seconds[f"{name} (CPU)"] += time.process_time() - cpu
    indicators = pd.concat([results["activity"], results["responses"], results["boilerplate"],
                            results["service content"]], axis=1)
    return indicators, results["hot posts per city"]


def _boilerplate(replies: pd.DataFrame, period: dict, reply_groups, boilerplate_rate, templates) -> pd.Series:
    groups = reply_groups(replies, **period)
    templates(groups)
    return boilerplate_rate(groups, accounts=period["accounts"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=180_000)
    parser.add_argument("--chunk", type=int, default=10_000, help="accounts per chunk")
    arguments = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from posts.indicators import hot_posts, topic_dictionary_read
    from posts.indicators.segmentation import topic_matcher

    dictionary = topic_dictionary_read()
    began = time.perf_counter()
    topic_matcher(dictionary)  # jieba's dictionary, loaded once per process
    seconds: dict[str, float] = defaultdict(float, {"load jieba": time.perf_counter() - began})
    sizes = defaultdict(int)
    frames, city_tops = [], []
    for number, first in enumerate(range(0, arguments.accounts, arguments.chunk)):
        rng = np.random.default_rng(number)
        accounts = np.arange(first, min(first + arguments.chunk, arguments.accounts), dtype=np.int64)
        posts, replies = generate_posts(rng, accounts, first_post_id=10**15 + first * 1000), generate_replies(rng, accounts)
        sizes["posts"] += len(posts)
        sizes["questions"] += len(replies)
        sizes["replies"] += int(replies["replied_at"].notna().sum())
        indicators, tops = measure_chunk(posts, replies, accounts, dictionary, seconds)
        frames.append(indicators)
        city_tops.append(tops.drop(columns=["interactions", "rank"]))
        del posts, replies
    began = time.perf_counter()
    indicators = pd.concat(frames)
    hot_posts(pd.concat(city_tops), start=START, end=END, by="city_id", top=10)
    seconds["combine the chunks"] = time.perf_counter() - began
    _report(arguments, sizes, seconds, indicators)


def _report(arguments: argparse.Namespace, sizes: dict[str, int], seconds: dict[str, float],
            indicators: pd.DataFrame) -> None:
    print(f"accounts {arguments.accounts:,} in chunks of {arguments.chunk:,}: posts {sizes['posts']:,}, "
          f"questions {sizes['questions']:,}, replies {sizes['replies']:,}")
    print(f"  {'step':<24} {'wall':>8} {'CPU':>8}")
    for name in [name for name in seconds if not name.endswith(" (CPU)")]:
        print(f"  {name:<24} {seconds[name]:8.1f} {seconds.get(name + ' (CPU)', seconds[name]):8.1f}")
    wall = sum(value for name, value in seconds.items() if not name.endswith(" (CPU)"))
    cpu = sum(seconds.get(name + " (CPU)", value) for name, value in seconds.items() if not name.endswith(" (CPU)"))
    print(f"  {'total':<24} {wall:8.1f} {cpu:8.1f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    print("means over accounts:", indicators.mean().round(3).to_dict())


if __name__ == "__main__":
    main()

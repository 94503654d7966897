"""Place names and citizens' nicknames that generated texts fill in.

Roads: names that most Chinese cities have (人民路, 解放路 …), so "长沙市人民路与解放路交叉口" reads right in
any city without claiming a real address. Scenic spots: real ones for the seed article's three Hunan
cities and a few big cities; elsewhere the generic forms every city has (长春博物馆, 长春湿地公园).
Nicknames: Weibo-style screen names of citizens (阳光小王, 追梦的猫); they appear only in replies'
"回复@…:" prefix, never as data. Pure Python; no Django.
"""
from __future__ import annotations

from demo.data.cities import CityInfo

ROADS = (
    "人民路", "解放路", "中山路", "建设路", "新华路", "胜利路", "和平路", "文化路", "长江路", "黄河路",
    "工业大道", "滨江路", "东风路", "五一路", "八一路", "复兴路", "民主路", "青年路", "朝阳路", "光明路",
    "友谊路", "环城北路", "迎宾大道", "世纪大道", "学府路", "体育路", "站前路", "南湖路", "北京路", "天池路",
)

_REAL_SPOTS = {
    "长沙": ("岳麓山", "橘子洲", "天心阁", "湖南省博物馆"),
    "株洲": ("炎帝陵", "神农城", "酒埠江", "株洲博物馆"),
    "张家界": ("天门山", "武陵源", "黄龙洞", "宝峰湖"),
    "北京": ("故宫", "颐和园", "八达岭长城", "天坛"),
    "上海": ("外滩", "豫园", "东方明珠", "朱家角古镇"),
    "广州": ("白云山", "陈家祠", "越秀公园", "沙面"),
    "杭州": ("西湖", "灵隐寺", "西溪湿地", "千岛湖"),
    "西安": ("大雁塔", "兵马俑", "西安城墙", "华清池"),
}
_GENERIC_SPOTS = ("{s}博物馆", "{s}湿地公园", "{s}森林公园", "{s}植物园")

NICK_HEADS = (
    "阳光", "追梦的", "小鱼", "蓝天", "快乐的", "微笑", "安静的", "爱吃鱼的", "风中", "雨后", "星星",
    "橙子", "奶茶", "胖胖", "飞翔的", "懒懒的", "木子", "晴天", "南方", "北漂", "路过的", "老街", "江边",
)
NICK_TAILS = (
    "小王", "大叔", "妹子", "同学", "君", "2012", "_88", "阿姨", "猫", "鱼", "哥", "123", "李", "少年",
    "女孩", "先生", "日记", "乐乐", "豆豆", "小明", "_love", "1987",
)


def city_spots(city: CityInfo, count: int) -> tuple[str, ...]:
    """`count` scenic spots of a city: its real ones where listed, else the generic forms."""
    spots = _REAL_SPOTS.get(city.name) or tuple(form.format(s=city.short) for form in _GENERIC_SPOTS)
    return tuple(spots[i % len(spots)] for i in range(count))

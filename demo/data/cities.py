"""The real prefecture-level-or-above divisions of mainland China, for demo and benchmark data.

337 entries: the 4 municipalities (直辖市) and the 333 prefecture-level divisions (地级行政区: 293
prefecture-level cities, 30 autonomous prefectures, 7 prefectures (地区) and 3 leagues (盟)), as the
GB/T 2260 administrative division codes list them in the early 2020s. Every name here is a real
division; nothing is invented. The list reflects today's map, so it includes a few cities created after
2012 (三沙 2012, 海东 2013, 日喀则 2014, 儋州 2015 …) and omits ones merged away (巢湖 2011, 莱芜 2019).

Fields of `CityInfo`:
    name        the city's name as imported (长沙; 湘西土家族苗族自治州 for an autonomous prefecture)
    short       the short form used inside account screen names (长沙, 湘西州, 阿克苏)
    formal      the form used before a department's name (长沙市 → 长沙市环保局; 湘西州; 阿克苏地区)
    name_en     pinyin / customary English name
    province    short province name (湖南, 内蒙古, 新疆)
    level       City.Level value: municipality, sub_provincial (sub-provincial city or provincial
                capital) or prefecture
    admin_code  the 6-digit GB/T 2260 code
    weight      relative size used by the generator (bigger cities get more accounts and more fans):
                a tier by administrative rank and prominence, not a measured population.

`CITIES` is ordered for the generator: the first 60 (`FIRST_SIXTY`) are the municipalities, the
provincial capitals and sub-provincial cities and prominent prefecture-level cities, including
长沙, 株洲 and 张家界 of the seed article; the rest follow in administrative-code order. So
`--cities 60` always takes the same 60 and `--cities 337` takes them all.

This module imports nothing from Django.
"""
from __future__ import annotations

from dataclasses import dataclass

MUNICIPALITY, SUB_PROVINCIAL, PREFECTURE = "municipality", "sub_provincial", "prefecture"


@dataclass(frozen=True)
class CityInfo:
    name: str
    short: str
    formal: str
    name_en: str
    province: str
    level: str
    admin_code: str
    weight: float


# One block per province: "province" then "code name pinyin" lines, in administrative-code order.
_TABLE = """
北京
110000 北京 Beijing
天津
120000 天津 Tianjin
河北
130100 石家庄 Shijiazhuang
130200 唐山 Tangshan
130300 秦皇岛 Qinhuangdao
130400 邯郸 Handan
130500 邢台 Xingtai
130600 保定 Baoding
130700 张家口 Zhangjiakou
130800 承德 Chengde
130900 沧州 Cangzhou
131000 廊坊 Langfang
131100 衡水 Hengshui
山西
140100 太原 Taiyuan
140200 大同 Datong
140300 阳泉 Yangquan
140400 长治 Changzhi
140500 晋城 Jincheng
140600 朔州 Shuozhou
140700 晋中 Jinzhong
140800 运城 Yuncheng
140900 忻州 Xinzhou
141000 临汾 Linfen
141100 吕梁 Lüliang
内蒙古
150100 呼和浩特 Hohhot
150200 包头 Baotou
150300 乌海 Wuhai
150400 赤峰 Chifeng
150500 通辽 Tongliao
150600 鄂尔多斯 Ordos
150700 呼伦贝尔 Hulunbuir
150800 巴彦淖尔 Bayannur
150900 乌兰察布 Ulanqab
152200 兴安盟 Hinggan League
152500 锡林郭勒盟 Xilingol League
152900 阿拉善盟 Alxa League
辽宁
210100 沈阳 Shenyang
210200 大连 Dalian
210300 鞍山 Anshan
210400 抚顺 Fushun
210500 本溪 Benxi
210600 丹东 Dandong
210700 锦州 Jinzhou
210800 营口 Yingkou
210900 阜新 Fuxin
211000 辽阳 Liaoyang
211100 盘锦 Panjin
211200 铁岭 Tieling
211300 朝阳 Chaoyang
211400 葫芦岛 Huludao
吉林
220100 长春 Changchun
220200 吉林 Jilin
220300 四平 Siping
220400 辽源 Liaoyuan
220500 通化 Tonghua
220600 白山 Baishan
220700 松原 Songyuan
220800 白城 Baicheng
222400 延边朝鲜族自治州 Yanbian
黑龙江
230100 哈尔滨 Harbin
230200 齐齐哈尔 Qiqihar
230300 鸡西 Jixi
230400 鹤岗 Hegang
230500 双鸭山 Shuangyashan
230600 大庆 Daqing
230700 伊春 Yichun (Heilongjiang)
230800 佳木斯 Jiamusi
230900 七台河 Qitaihe
231000 牡丹江 Mudanjiang
231100 黑河 Heihe
231200 绥化 Suihua
232700 大兴安岭地区 Da Hinggan Ling
上海
310000 上海 Shanghai
江苏
320100 南京 Nanjing
320200 无锡 Wuxi
320300 徐州 Xuzhou
320400 常州 Changzhou
320500 苏州 Suzhou
320600 南通 Nantong
320700 连云港 Lianyungang
320800 淮安 Huai'an
320900 盐城 Yancheng
321000 扬州 Yangzhou
321100 镇江 Zhenjiang
321200 泰州 Taizhou (Jiangsu)
321300 宿迁 Suqian
浙江
330100 杭州 Hangzhou
330200 宁波 Ningbo
330300 温州 Wenzhou
330400 嘉兴 Jiaxing
330500 湖州 Huzhou
330600 绍兴 Shaoxing
330700 金华 Jinhua
330800 衢州 Quzhou
330900 舟山 Zhoushan
331000 台州 Taizhou (Zhejiang)
331100 丽水 Lishui
安徽
340100 合肥 Hefei
340200 芜湖 Wuhu
340300 蚌埠 Bengbu
340400 淮南 Huainan
340500 马鞍山 Ma'anshan
340600 淮北 Huaibei
340700 铜陵 Tongling
340800 安庆 Anqing
341000 黄山 Huangshan
341100 滁州 Chuzhou
341200 阜阳 Fuyang
341300 宿州 Suzhou (Anhui)
341500 六安 Lu'an
341600 亳州 Bozhou
341700 池州 Chizhou
341800 宣城 Xuancheng
福建
350100 福州 Fuzhou
350200 厦门 Xiamen
350300 莆田 Putian
350400 三明 Sanming
350500 泉州 Quanzhou
350600 漳州 Zhangzhou
350700 南平 Nanping
350800 龙岩 Longyan
350900 宁德 Ningde
江西
360100 南昌 Nanchang
360200 景德镇 Jingdezhen
360300 萍乡 Pingxiang
360400 九江 Jiujiang
360500 新余 Xinyu
360600 鹰潭 Yingtan
360700 赣州 Ganzhou
360800 吉安 Ji'an
360900 宜春 Yichun (Jiangxi)
361000 抚州 Fuzhou (Jiangxi)
361100 上饶 Shangrao
山东
370100 济南 Jinan
370200 青岛 Qingdao
370300 淄博 Zibo
370400 枣庄 Zaozhuang
370500 东营 Dongying
370600 烟台 Yantai
370700 潍坊 Weifang
370800 济宁 Jining
370900 泰安 Tai'an
371000 威海 Weihai
371100 日照 Rizhao
371300 临沂 Linyi
371400 德州 Dezhou
371500 聊城 Liaocheng
371600 滨州 Binzhou
371700 菏泽 Heze
河南
410100 郑州 Zhengzhou
410200 开封 Kaifeng
410300 洛阳 Luoyang
410400 平顶山 Pingdingshan
410500 安阳 Anyang
410600 鹤壁 Hebi
410700 新乡 Xinxiang
410800 焦作 Jiaozuo
410900 濮阳 Puyang
411000 许昌 Xuchang
411100 漯河 Luohe
411200 三门峡 Sanmenxia
411300 南阳 Nanyang
411400 商丘 Shangqiu
411500 信阳 Xinyang
411600 周口 Zhoukou
411700 驻马店 Zhumadian
湖北
420100 武汉 Wuhan
420200 黄石 Huangshi
420300 十堰 Shiyan
420500 宜昌 Yichang
420600 襄阳 Xiangyang
420700 鄂州 Ezhou
420800 荆门 Jingmen
420900 孝感 Xiaogan
421000 荆州 Jingzhou
421100 黄冈 Huanggang
421200 咸宁 Xianning
421300 随州 Suizhou
422800 恩施土家族苗族自治州 Enshi
湖南
430100 长沙 Changsha
430200 株洲 Zhuzhou
430300 湘潭 Xiangtan
430400 衡阳 Hengyang
430500 邵阳 Shaoyang
430600 岳阳 Yueyang
430700 常德 Changde
430800 张家界 Zhangjiajie
430900 益阳 Yiyang
431000 郴州 Chenzhou
431100 永州 Yongzhou
431200 怀化 Huaihua
431300 娄底 Loudi
433100 湘西土家族苗族自治州 Xiangxi
广东
440100 广州 Guangzhou
440200 韶关 Shaoguan
440300 深圳 Shenzhen
440400 珠海 Zhuhai
440500 汕头 Shantou
440600 佛山 Foshan
440700 江门 Jiangmen
440800 湛江 Zhanjiang
440900 茂名 Maoming
441200 肇庆 Zhaoqing
441300 惠州 Huizhou
441400 梅州 Meizhou
441500 汕尾 Shanwei
441600 河源 Heyuan
441700 阳江 Yangjiang
441800 清远 Qingyuan
441900 东莞 Dongguan
442000 中山 Zhongshan
445100 潮州 Chaozhou
445200 揭阳 Jieyang
445300 云浮 Yunfu
广西
450100 南宁 Nanning
450200 柳州 Liuzhou
450300 桂林 Guilin
450400 梧州 Wuzhou
450500 北海 Beihai
450600 防城港 Fangchenggang
450700 钦州 Qinzhou
450800 贵港 Guigang
450900 玉林 Yulin (Guangxi)
451000 百色 Baise
451100 贺州 Hezhou
451200 河池 Hechi
451300 来宾 Laibin
451400 崇左 Chongzuo
海南
460100 海口 Haikou
460200 三亚 Sanya
460300 三沙 Sansha
460400 儋州 Danzhou
重庆
500000 重庆 Chongqing
四川
510100 成都 Chengdu
510300 自贡 Zigong
510400 攀枝花 Panzhihua
510500 泸州 Luzhou
510600 德阳 Deyang
510700 绵阳 Mianyang
510800 广元 Guangyuan
510900 遂宁 Suining
511000 内江 Neijiang
511100 乐山 Leshan
511300 南充 Nanchong
511400 眉山 Meishan
511500 宜宾 Yibin
511600 广安 Guang'an
511700 达州 Dazhou
511800 雅安 Ya'an
511900 巴中 Bazhong
512000 资阳 Ziyang
513200 阿坝藏族羌族自治州 Ngawa
513300 甘孜藏族自治州 Garzê
513400 凉山彝族自治州 Liangshan
贵州
520100 贵阳 Guiyang
520200 六盘水 Liupanshui
520300 遵义 Zunyi
520400 安顺 Anshun
520500 毕节 Bijie
520600 铜仁 Tongren
522300 黔西南布依族苗族自治州 Qianxinan
522600 黔东南苗族侗族自治州 Qiandongnan
522700 黔南布依族苗族自治州 Qiannan
云南
530100 昆明 Kunming
530300 曲靖 Qujing
530400 玉溪 Yuxi
530500 保山 Baoshan
530600 昭通 Zhaotong
530700 丽江 Lijiang
530800 普洱 Pu'er
530900 临沧 Lincang
532300 楚雄彝族自治州 Chuxiong
532500 红河哈尼族彝族自治州 Honghe
532600 文山壮族苗族自治州 Wenshan
532800 西双版纳傣族自治州 Xishuangbanna
532900 大理白族自治州 Dali
533100 德宏傣族景颇族自治州 Dehong
533300 怒江傈僳族自治州 Nujiang
533400 迪庆藏族自治州 Dêqên
西藏
540100 拉萨 Lhasa
540200 日喀则 Shigatse
540300 昌都 Qamdo
540400 林芝 Nyingchi
540500 山南 Shannan
540600 那曲 Nagqu
542500 阿里地区 Ngari
陕西
610100 西安 Xi'an
610200 铜川 Tongchuan
610300 宝鸡 Baoji
610400 咸阳 Xianyang
610500 渭南 Weinan
610600 延安 Yan'an
610700 汉中 Hanzhong
610800 榆林 Yulin (Shaanxi)
610900 安康 Ankang
611000 商洛 Shangluo
甘肃
620100 兰州 Lanzhou
620200 嘉峪关 Jiayuguan
620300 金昌 Jinchang
620400 白银 Baiyin
620500 天水 Tianshui
620600 武威 Wuwei
620700 张掖 Zhangye
620800 平凉 Pingliang
620900 酒泉 Jiuquan
621000 庆阳 Qingyang
621100 定西 Dingxi
621200 陇南 Longnan
622900 临夏回族自治州 Linxia
623000 甘南藏族自治州 Gannan
青海
630100 西宁 Xining
630200 海东 Haidong
632200 海北藏族自治州 Haibei
632300 黄南藏族自治州 Huangnan
632500 海南藏族自治州 Hainan (Qinghai)
632600 果洛藏族自治州 Golog
632700 玉树藏族自治州 Yushu
632800 海西蒙古族藏族自治州 Haixi
宁夏
640100 银川 Yinchuan
640200 石嘴山 Shizuishan
640300 吴忠 Wuzhong
640400 固原 Guyuan
640500 中卫 Zhongwei
新疆
650100 乌鲁木齐 Ürümqi
650200 克拉玛依 Karamay
650400 吐鲁番 Turpan
650500 哈密 Hami
652300 昌吉回族自治州 Changji
652700 博尔塔拉蒙古自治州 Bortala
652800 巴音郭楞蒙古自治州 Bayingolin
652900 阿克苏地区 Aksu
653000 克孜勒苏柯尔克孜自治州 Kizilsu
653100 喀什地区 Kashgar
653200 和田地区 Hotan
654000 伊犁哈萨克自治州 Ili
654200 塔城地区 Tacheng
654300 阿勒泰地区 Altay
"""

# Short forms of the autonomous prefectures as their own accounts write them (湘西州公安 …).
_PREFECTURE_SHORT = {
    "延边朝鲜族自治州": "延边州", "恩施土家族苗族自治州": "恩施州", "湘西土家族苗族自治州": "湘西州",
    "阿坝藏族羌族自治州": "阿坝州", "甘孜藏族自治州": "甘孜州", "凉山彝族自治州": "凉山州",
    "黔西南布依族苗族自治州": "黔西南州", "黔东南苗族侗族自治州": "黔东南州", "黔南布依族苗族自治州": "黔南州",
    "楚雄彝族自治州": "楚雄州", "红河哈尼族彝族自治州": "红河州", "文山壮族苗族自治州": "文山州",
    "西双版纳傣族自治州": "西双版纳州", "大理白族自治州": "大理州", "德宏傣族景颇族自治州": "德宏州",
    "怒江傈僳族自治州": "怒江州", "迪庆藏族自治州": "迪庆州", "临夏回族自治州": "临夏州",
    "甘南藏族自治州": "甘南州", "海北藏族自治州": "海北州", "黄南藏族自治州": "黄南州",
    "海南藏族自治州": "海南州", "果洛藏族自治州": "果洛州", "玉树藏族自治州": "玉树州",
    "海西蒙古族藏族自治州": "海西州", "昌吉回族自治州": "昌吉州", "博尔塔拉蒙古自治州": "博州",
    "巴音郭楞蒙古自治州": "巴州", "克孜勒苏柯尔克孜自治州": "克州", "伊犁哈萨克自治州": "伊犁州",
}

# Provincial capitals and the five sub-provincial cities outside them (City.Level.SUB_PROVINCIAL).
_SUB_PROVINCIAL = frozenset(
    "石家庄 太原 呼和浩特 沈阳 长春 哈尔滨 南京 杭州 合肥 福州 南昌 济南 郑州 武汉 长沙 广州 南宁 海口 成都 "
    "贵阳 昆明 拉萨 西安 兰州 西宁 银川 乌鲁木齐 大连 青岛 宁波 厦门 深圳".split()
)
_MUNICIPALITIES = frozenset({"北京", "天津", "上海", "重庆"})
_FIRST_TIER = frozenset({"北京", "上海", "广州", "深圳"})
# Capitals of the thinly populated provinces are sized like prominent prefecture-level cities.
_SMALL_CAPITALS = frozenset({"拉萨", "西宁", "银川", "海口"})

FIRST_SIXTY: tuple[str, ...] = tuple(
    "北京 上海 广州 深圳 长沙 天津 重庆 成都 武汉 南京 杭州 西安 郑州 济南 青岛 大连 宁波 厦门 沈阳 哈尔滨 "
    "长春 石家庄 太原 呼和浩特 合肥 福州 南昌 南宁 海口 贵阳 昆明 拉萨 兰州 西宁 银川 乌鲁木齐 苏州 无锡 佛山 "
    "东莞 温州 泉州 烟台 唐山 徐州 常州 绍兴 珠海 洛阳 宜昌 株洲 张家界 湘潭 岳阳 桂林 三亚 扬州 潍坊 南通 惠州"
    .split()
)


def _short_and_formal(name: str) -> tuple[str, str]:
    if name in _PREFECTURE_SHORT:
        return _PREFECTURE_SHORT[name], _PREFECTURE_SHORT[name]
    if name.endswith("地区"):
        return name.removesuffix("地区"), name
    if name.endswith("盟"):
        return name, name
    return name, f"{name}市"


def _weight(name: str, level: str) -> float:
    if name in _FIRST_TIER:
        return 1.0
    if level == MUNICIPALITY:
        return 0.8
    if level == SUB_PROVINCIAL and name not in _SMALL_CAPITALS:
        return 0.5
    if name in FIRST_SIXTY:
        return 0.32
    if name in _PREFECTURE_SHORT or name.endswith(("地区", "盟")):  # sparse, thinly populated regions
        return 0.08
    return 0.16


def _parse(table: str) -> list[CityInfo]:
    cities: list[CityInfo] = []
    province = ""
    for line in table.strip().splitlines():
        parts = line.split(maxsplit=2)
        if len(parts) == 1:
            province = parts[0]
            continue
        code, name, name_en = parts
        level = (MUNICIPALITY if name in _MUNICIPALITIES
                 else SUB_PROVINCIAL if name in _SUB_PROVINCIAL else PREFECTURE)
        short, formal = _short_and_formal(name)
        cities.append(CityInfo(name, short, formal, name_en, province, level, code, _weight(name, level)))
    return cities


def _ordered(cities: list[CityInfo]) -> tuple[CityInfo, ...]:
    by_name = {city.name: city for city in cities}
    first = [by_name[name] for name in FIRST_SIXTY]
    return tuple(first + [city for city in cities if city.name not in set(FIRST_SIXTY)])


CITIES: tuple[CityInfo, ...] = _ordered(_parse(_TABLE))

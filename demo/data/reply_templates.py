"""What citizens ask government accounts, how a caring account answers, and the boilerplate (套话) that
a careless one pastes instead.

An answer is drawn from the same exchange as its question (a question about a lost ID card gets an
answer about ID cards). Answers vary in five or more slots (the question's own details, a date, a work-order number, the
officer in charge …), so one account's real answers are not near-duplicates of each other; boilerplate replies are one fixed text, pasted as is most of the time and
otherwise with a word or two changed (您好/你好, 及时/尽快 …): exactly the near-duplicates the 套话
indicator should find. Pure data.
"""
from __future__ import annotations

from demo.data.names import OTHER, POLICE, PRESS, TOURISM, TRAFFIC, YOUTH
from demo.data.post_texts import Exchange

_THANKS = ("谢谢！", "急，在线等。", "麻烦回复一下，谢谢", "谢谢小编", "", "求解答！")
_CLOSING = ("感谢您的关注。", "如有疑问可拨打12345咨询。", "祝您生活愉快！", "欢迎继续监督。",
            "谢谢您的理解与支持。", "请留意后续通知。")

POLICE_EXCHANGES = (
    Exchange("证件办理", 3.0, (
        "请问{city}{document}丢了怎么补办？{thanks}",
        "@{source} 请问在外地能办{city}的{document}吗？需要什么材料？{thanks}",
    ), (
        "您好，补办{document}请携带{material}到户籍所在地派出所{window}办理，{timing}。有疑问可找{officer}。{closing}",
        "您好，{document}可以{channel}申请，{timing}，{material_short}即可。您的咨询已登记（编号{ticket}）。{closing}",
    ), {
        "document": ("身份证", "户口本", "居住证", "港澳通行证", "临时身份证", "驾驶证"),
        "material": ("户口簿和近期照片", "本人户口本原件", "身份证复印件", "所在单位证明", "居住登记表"),
        "material_short": ("带上户口本", "提供本人照片", "带上身份证复印件", "填写申请表"),
        "window": ("户政窗口", "综合服务窗口", "出入境窗口", "自助服务区"),
        "channel": ("在网上办事大厅", "到就近派出所", "通过警务微信", "到出入境大厅"),
        "timing": ("一般15个工作日可取", "当天即可受理", "周六上午也可办理", "办理期间可申领临时证件",
                   "加急可在5个工作日内办结"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
    Exchange("报警求助", 2.0, (
        "我在{road}附近{trouble}，该怎么办？{thanks}",
        "{road}那边{noise}，能不能管一管？{thanks}",
    ), (
        "您好，{advice}，我们已通知{unit}跟进处理（警情编号{ticket}），{follow}。{closing}",
        "您好，您{date}反映的{road}{noise}的问题已转{unit}核查，负责民警为{officer}，{follow}。{closing}",
    ), {
        "trouble": ("丢了钱包", "电动车被偷了", "被人骗了两千块", "和人发生了纠纷", "捡到一部手机"),
        "noise": ("每天晚上有人飙车", "有人聚众赌博", "烧烤摊噪音很大", "有人非法摆摊", "经常有人打架"),
        "advice": ("请立即拨打110报警", "请到就近派出所报案", "请保留好相关证据", "建议先联系辖区民警",
                   "请尽快挂失相关卡证"),
        "unit": ("辖区派出所", "巡警大队", "治安大队", "属地民警", "值班民警"),
        "follow": ("处理结果会及时反馈给您", "请保持电话畅通", "民警将尽快与您联系", "我们会加强该区域巡逻",
                   "后续进展我们会及时告知"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
    Exchange("诈骗咨询", 1.5, (
        "刚接到一个自称{caller}的电话，说我{claim}，是不是诈骗？{thanks}",
    ), (
        "您好，这是冒充{caller}的诈骗，{advice}，{advice2}。您也可以联系{officer}核实（登记号{ticket}）。{closing}",
    ), {
        "caller": ("公安局", "法院", "银行客服", "快递公司", "社保局", "淘宝客服"),
        "claim": ("涉嫌洗钱", "有快递丢了要赔偿", "中了大奖", "社保卡被冻结", "信用卡透支"),
        "advice": ("请不要转账汇款", "请立即挂断电话", "切勿透露银行卡密码", "不要点击对方发来的链接"),
        "advice2": ("如已转账请立即拨打110", "可到就近派出所咨询", "请提醒家人提高警惕", "欢迎转发提醒身边人"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
)

TRAFFIC_EXCHANGES = (
    Exchange("路况咨询", 2.5, (
        "请问{road}现在堵不堵？{thanks}",
        "{city}{road}和{road2_}那里的红绿灯是不是坏了？{thanks}",
    ), (
        "您好，{date}{time}{road}{state}，{advice}。{closing}",
        "您好，已通知{unit}到{road}和{road2_}路口{action}，工单号{ticket}，{advice}。{closing}",
    ), {
        "road2_": ("二环", "火车站", "汽车站", "万达广场", "市政府", "大学城"),
        "state": ("车流量较大，通行缓慢", "通行基本顺畅", "因施工单车道通行", "有一起轻微事故正在处理"),
        "unit": ("辖区交警中队", "信号维护部门", "值勤民警", "铁骑队员"),
        "action": ("现场疏导", "检修信号灯", "处理事故", "查看情况"),
        "advice": ("建议您绕行", "请注意安全", "请耐心等待", "请服从现场民警指挥", "出行前可收听交通广播"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
    Exchange("违章处理", 2.5, (
        "请问{city}的{matter}怎么办理？{thanks}",
        "外地车在{city}违章了，{matter}能在网上办吗？{thanks}",
    ), (
        "您好，{matter}可以{channel}办理，{need}，{timing}。具体可咨询{clerk}（咨询编号{ticket}）。{closing}",
    ), {
        "matter": ("违章处理", "驾驶证换证", "车辆年检", "罚款缴纳", "驾驶证补证", "临时号牌"),
        "channel": ("在交通安全综合服务管理平台", "到车管所窗口", "到就近交警大队", "在邮政网点"),
        "need": ("需携带驾驶证和行驶证", "需提供身份证原件", "需先处理完违法记录", "需本人到场"),
        "timing": ("当天即可办结", "工作日均可办理", "周六上午正常办公", "一般三个工作日办结"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
    Exchange("限行咨询", 1.0, (
        "请问明天{city}限行尾号是多少？{thanks}",
    ), (
        "您好，{date}起限行尾号为{digits}，限行时间{hours}，{note}。详见{link}",
    ), {
        "digits": ("1和6", "2和7", "3和8", "4和9", "5和0"),
        "hours": ("7时至20时", "早晚高峰时段", "7时至9时、17时至19时"),
        "note": ("新能源车不限行", "外地车同样执行", "节假日不限行", "请合理安排出行"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
)

PRESS_EXCHANGES = (
    Exchange("政策咨询", 2.5, (
        "请问{city}{policy}什么时候开始实施？{thanks}",
        "@{source} {policy}外地户口能申请吗？{thanks}",
    ), (
        "您好，{policy}{status}，{condition}，{where}。您的咨询已登记（编号{ticket}），经办人{clerk}。{closing}",
    ), {
        "policy": ("公租房申请", "新的医保政策", "创业补贴", "低保标准调整", "公积金新政", "义务教育招生办法"),
        "status": ("已于本月起实施", "正在征求意见", "预计下月公布细则", "今年内实施"),
        "condition": ("符合条件的居民均可申请", "外来务工人员也在范围内", "需连续缴纳社保满一年",
                      "具体条件以正式文件为准"),
        "where": ("详情可查看市政府网站", "可到所在社区咨询", "可拨打12345热线咨询", "可到政务服务中心办理"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
    Exchange("求证辟谣", 1.5, (
        "网上说{city}{rumour}，是真的吗？{thanks}",
    ), (
        "您好，经{date}核实，{fact}，{source_}已作出说明，{advice}。{closing}{link}",
    ), {
        "rumour": ("明天要停水", "要发生地震", "出租车要涨价", "学校要放假", "某小区发生火灾"),
        "fact": ("该消息不实", "系例行检修", "属于外地旧闻", "相关部门已辟谣"),
        "source_": ("水务部门", "地震局", "交通部门", "教育部门", "消防部门"),
        "advice": ("请以官方发布为准", "请勿轻信传播", "感谢您的求证", "欢迎继续关注本微博"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
    Exchange("民生诉求", 2.0, (
        "{city}{road}{problem}，希望有关部门管一管！{thanks}",
    ), (
        "您好，您{date}反映的{road}{problem}的问题已转{dept}处理（工单号{ticket}），{follow}。{closing}",
    ), {
        "problem": ("路灯坏了好几天", "下水道堵了", "垃圾没人清运", "工地夜间施工太吵", "路面坑洼不平"),
        "dept": ("城管局", "市政部门", "环卫部门", "住建部门", "所在街道"),
        "follow": ("将于三个工作日内处理", "已安排人员现场查看", "处理结果将及时反馈", "已责令相关单位整改"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
)

YOUTH_EXCHANGES = (
    Exchange("志愿报名", 2.5, (
        "请问{city}志愿者活动怎么报名？{thanks}",
        "我是{who}，可以参加{activity}吗？{thanks}",
    ), (
        "您好，{how}，{requirement}，{when}。联系人{clerk}。{closing}",
    ), {
        "who": ("大学生", "高中生", "上班族", "退休人员", "外地来的"),
        "activity": ("关爱老人活动", "交通劝导活动", "春运志愿服务", "植树活动"),
        "how": ("私信留下姓名和电话即可", "到团市委二楼报名", "在志愿者网站注册后报名", "关注本微博留言报名"),
        "requirement": ("年满18周岁即可", "需参加一次培训", "高中生需家长同意", "不限专业"),
        "when": ("活动前会电话通知您", "本周五截止报名", "每月都有活动", "欢迎随时加入"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
    Exchange("招聘咨询", 1.5, (
        "请问{job}招聘还招人吗？报名截止是什么时候？{thanks}",
    ), (
        "您好，{job}招聘{status}，{deadline}，{note}。详情：{link}",
    ), {
        "job": ("社区专干", "事业单位", "大学生村官", "青年创业园"),
        "status": ("仍在报名中", "已进入笔试阶段", "还有少量名额", "下一批将于下月发布"),
        "deadline": ("报名截止本月25日", "额满即止", "具体时间见官网公告", "截止时间为月底"),
        "note": ("请关注官网通知", "应届生可报名", "需本科以上学历", "不限户籍"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
)

TOURISM_EXCHANGES = (
    Exchange("景区咨询", 3.0, (
        "请问{city}{spot}门票多少钱？{when}开放吗？{thanks}",
        "{when}去{spot}人多吗？有什么推荐的路线？{thanks}",
    ), (
        "您好，{spot}{price}，{date}起{hours}，{tip}。详情请见{link}",
    ), {
        "when": ("五一", "国庆", "周末", "春节", "暑假", "明天"),
        "price": ("门票价格不变", "学生凭证半价", "65岁以上老人免票", "需提前网上预约", "门票80元"),
        "hours": ("开放时间为8时至18时", "节假日延长开放至21时", "每日限流两万人", "全年开放"),
        "tip": ("建议错峰出游", "可乘坐旅游专线直达", "景区内有免费讲解", "周边有停车场"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
    Exchange("旅游投诉", 1.0, (
        "在{city}{spot}附近{complaint}，去哪里投诉？{thanks}",
    ), (
        "您好，{action}，{channel}，{follow}。投诉编号{ticket}。{closing}",
    ), {
        "complaint": ("被导游强制购物", "被出租车绕路", "吃饭被宰", "酒店乱收费"),
        "action": ("请保留好票据等证据", "我们已转旅游质监部门", "已联系景区管理处核实", "请提供具体时间地点"),
        "channel": ("可拨打12301旅游服务热线", "可到旅游质监所投诉", "可私信我们详细情况", "可拨打12345"),
        "follow": ("处理结果会及时告知您", "我们将依法严肃处理", "请保持电话畅通", "感谢您的监督"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
)

OTHER_EXCHANGES = (
    Exchange("办事咨询", 3.0, (
        "请问{city}{service}在哪里办理？需要什么材料？{thanks}",
        "@{source} {service}可以网上办吗？{thanks}",
    ), (
        "您好，{service}可到{place}办理，{material}，{timing}。咨询登记号{ticket}。{closing}",
    ), {
        "service": ("法律援助", "社保转移", "不动产登记", "食品经营许可", "医保报销", "残疾证"),
        "place": ("政务服务中心一楼", "所在区县服务窗口", "网上办事大厅", "所在街道便民服务中心"),
        "material": ("需携带身份证原件", "需提供户口本和照片", "材料清单可在官网下载", "需填写申请表"),
        "timing": ("工作日均可办理", "一般五个工作日办结", "周六上午正常办公", "可先电话预约"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
    Exchange("问题反映", 2.0, (
        "{city}{road}{problem}，请问归哪个部门管？{thanks}",
    ), (
        "您好，您{date}反映的{road}{problem}的情况已转{dept}处理，工单号{ticket}，{follow}。{closing}",
    ), {
        "problem": ("有工厂排放黑烟", "河里有死鱼", "占道经营很严重", "消防通道被堵", "噪音扰民"),
        "dept": ("环境监察支队", "城管执法大队", "消防大队", "所在街道", "相关职能部门"),
        "follow": ("将于三个工作日内答复", "已安排人员现场核查", "处理结果将及时反馈", "将依法处理"),
        "thanks": _THANKS, "closing": _CLOSING,
    }),
)

EXCHANGES = {
    POLICE: POLICE_EXCHANGES, TRAFFIC: TRAFFIC_EXCHANGES, PRESS: PRESS_EXCHANGES,
    YOUTH: YOUTH_EXCHANGES, TOURISM: TOURISM_EXCHANGES, OTHER: OTHER_EXCHANGES,
}

# 套话: the fixed text a boilerplate account pastes (weight 3), and the same with a word or two changed.
BOILERPLATE = "您好，您反映的问题已收到，我们将及时转交相关部门处理，感谢您的关注！"
BOILERPLATE_VARIANTS = (
    (BOILERPLATE, 3.0),
    ("{hello}您反映的问题{received}，我们将{soon}转交相关部门处理，{thanks}", 1.0),
)
BOILERPLATE_OPTIONS = {
    "hello": ("您好，", "你好，", "您好！"),
    "received": ("已收到", "我们已收到"),
    "soon": ("及时", "尽快"),
    "thanks": ("感谢您的关注！", "感谢关注！", "谢谢您的关注。"),
}
# How a reply names the citizen it answers, as Weibo writes it (and weibo-crawler exports it).
REPLY_PREFIX = "回复@{nick}:"

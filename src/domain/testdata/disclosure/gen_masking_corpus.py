#!/usr/bin/env python3
"""Writes masking_corpus.tsv: personal data planted in realistic sentences of
published decisions, in the many ways people write it (spaces, dashes, dots,
brackets, full-width digits and spaces, zero-width characters, +86 ...).

Columns: kind, value (canonical: digits, an e-mail address or a name),
secret (1 when the value is passed to MaskPublicText as the case's own
personal data), text. disclosure_corpus_test.cc checks that no run of the
value longer than the policy keeps survives in the masked text.

Deterministic (fixed seed): python3 gen_masking_corpus.py > masking_corpus.tsv
(another seed as the first argument gives another corpus, to hunt for misses).
"""
import random
import re
import sys

rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 20261206)
FW = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
ZW = "\u200b"
NBSP = "\u00a0"
IDEO = "\u3000"

REGIONS = ["110101", "310104", "330106", "440305", "320583", "510107", "420106",
           "370102", "990121", "990123", "350203", "610113"]


def id18(bad_date=False):
    region = rng.choice(REGIONS)
    y = rng.randint(1950, 2005)
    m = rng.randint(13, 19) if bad_date else rng.randint(1, 12)
    d = rng.randint(1, 28)
    body = f"{region}{y:04d}{m:02d}{d:02d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


def id15():
    region = rng.choice(REGIONS)
    return f"{region}{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"


def mobile():
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def landline():
    area = rng.choice(["010", "021", "020", "0571", "0574", "0755", "0512", "0931", "0898"])
    local = str(rng.randint(2, 8)) + "".join(rng.choice("0123456789") for _ in range(rng.choice([6, 7])))
    return area, local


def luhn(prefix, length):
    digits = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for i, c in enumerate(reversed(digits)):
        v = int(c)
        if i % 2 == 0:
            v *= 2
            v = v - 9 if v > 9 else v
        total += v
    return digits + str((10 - total % 10) % 10)


def card():
    return luhn(rng.choice(["622202", "621700", "622848", "436742", "524094", "625965"]),
                rng.choice([16, 16, 19, 19, 17, 18]))


def groups(s, sizes, sep):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(out)


ID_FORMS = [
    lambda v: v,
    lambda v: groups(v, [6, 8], " "),
    lambda v: groups(v, [6, 4, 4], " "),
    lambda v: groups(v, [6, 8], "-"),
    lambda v: v.translate(FW),
    lambda v: groups(v, [6, 8], IDEO).translate(FW),
    lambda v: groups(v, [3, 3, 3, 3, 3], ZW),
    lambda v: v.lower(),
    lambda v: " ".join(v),
    lambda v: groups(v, [6, 8], "."),
    lambda v: groups(v, [6, 4, 2, 2], "－"),
    lambda v: groups(v, [4, 4, 4, 4], NBSP),
    lambda v: groups(v, [6, 8], ", "),
]
MOBILE_FORMS = [
    lambda v: v,
    lambda v: groups(v, [3, 4], " "),
    lambda v: groups(v, [3, 4], "-"),
    lambda v: v.translate(FW),
    lambda v: groups(v, [3, 4], "－").translate(FW),
    lambda v: groups(v, [3, 4], "—"),
    lambda v: "+86 " + groups(v, [3, 4], " "),
    lambda v: "0086-" + v,
    lambda v: "（+86）" + v,
    lambda v: groups(v, [3, 4], "."),
    lambda v: " ".join(v),
    lambda v: groups(v, [3, 3], " "),
    lambda v: groups(v, [4, 4], " "),
    lambda v: groups(v, [3, 4], ZW),
    lambda v: groups(v, [3, 4], IDEO),
    lambda v: "+86" + v,
    lambda v: "86-" + groups(v, [3, 4], "-"),
    lambda v: groups(v, [3, 4], ","),
    lambda v: groups(v, [3, 4], "/"),
]
LANDLINE_FORMS = [
    lambda a, l: f"{a}-{l}",
    lambda a, l: f"({a}){l}",
    lambda a, l: f"（{a}）{groups(l, [4], '-')}",
    lambda a, l: f"{a} {groups(l, [4], ' ')}",
    lambda a, l: a + l,
    lambda a, l: f"{a}-{l}转{rng.randint(100, 899)}",
    lambda a, l: f"+86 {a[1:]} {groups(l, [4], ' ')}",
    lambda a, l: f"{a}－{l}".translate(FW),
    lambda a, l: f"{a}—{groups(l, [4], '—')}",
    lambda a, l: f"({a}) {l}-{rng.randint(10, 899)}",
    lambda a, l: f"{a}{IDEO}{l}".translate(FW),
    lambda a, l: f"{a}.{groups(l, [4], '.')}",
]
CARD_FORMS = [
    lambda v: v,
    lambda v: groups(v, [4, 4, 4, 4], " "),
    lambda v: groups(v, [4, 4, 4, 4], "-"),
    lambda v: v.translate(FW),
    lambda v: groups(v, [4, 4, 4, 4], IDEO).translate(FW),
    lambda v: groups(v, [6], " "),
    lambda v: groups(v, [4, 4, 4, 4], ZW),
    lambda v: groups(v, [4, 4, 4, 4], NBSP),
    lambda v: groups(v, [4, 4, 4, 4], ","),
]
EMAIL_FORMS = [
    lambda u, d: f"{u}@{d}",
    lambda u, d: f"{u} @ {d}",
    lambda u, d: f"{u}＠{d}",
    lambda u, d: f"{u}(at){d.replace('.', '(dot)')}",
    lambda u, d: f"{u}[at]{d}",
    lambda u, d: f"{u.upper()}@{d.upper()}",
    lambda u, d: f"{u}@{d.replace('.', ' . ')}",
    lambda u, d: f"{u}＠{d.replace('.', '．')}",
]
NAME_FORMS = [
    lambda n: n,
    lambda n: " ".join(n),
    lambda n: IDEO.join(n),
    lambda n: "·".join(n),
    lambda n: ZW.join(n),
    lambda n: n[0] + " " + n[1:],
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文辉玉兰志强晓东海燕红梅立新春梅国庆思远晓雯文杰子涵浩然雨桐"
USERS = ["zhangsan", "li.ming", "wangwu_88", "chen.xiaohong", "qh2026", "liu-yang", "zhao.lei.gov", "sunmei1990"]
DOMAINS = ["163.com", "qq.com", "126.com", "sina.com.cn", "qiaotou.gov.cn", "foxmail.com", "example.org"]

ID_SENTENCES = [
    "当事人{N}，男，汉族，身份证号码：{V}，住所东海省清河县桥头镇人民路12号。",
    "申请人（公民身份号码{V}）于2026年3月5日申请临时占用绿地120平方米。",
    "经查，当事人（证件号：{V}）未取得许可擅自经营，违法所得3200元。",
    "被申请人法定代表人{N}（身份证{V}）对上述事实无异议。",
    "本机关于2026-11-10受理（身份证号 {V}），依据桥市监罚〔2026〕12号作出决定。",
    "委托代理人{N}，身份证号为{V}，联系地址清河县桥头镇工业园区8幢。",
    "当事人身份证号码{V}，罚款人民币5000元整。",
    "第三人{N}，身份证号：{V}。",
]
MOBILE_SENTENCES = [
    "当事人联系电话{V}，住所清河县桥头镇。",
    "如有疑问请联系承办人，手机：{V}。",
    "投诉人（手机号{V}）于2026年9月30日来电反映占道经营问题。",
    "送达地址：桥头镇人民路15号，收件人{N}，电话{V}。",
    "申请人{N}的联系方式为{V}，已于2026-12-06领取决定书。",
    "举报人手机 {V} 反映该店铺第3次违规。",
    "经电话（{V}）核实，当事人于10时30分到场。",
    "联系人：{N}  电话：{V}",
]
LANDLINE_SENTENCES = [
    "如不服本决定，可于60日内申请行政复议，咨询电话{V}。",
    "当事人单位电话{V}，地址桥头镇工业园区。",
    "联系电话：{V}（工作日8:30-17:30）",
    "传真{V}，邮编310000。",
    "被检查单位（电话{V}）现场负责人{N}在场。",
    "经拨打当事人座机{V}未能联系上，于2026年10月8日公告送达。",
]
CARD_SENTENCES = [
    "违法所得退还至当事人银行卡{V}（开户行：东海农商银行桥头支行）。",
    "罚款5000元已由{N}从卡号{V}转账缴纳。",
    "当事人提供的收款账号为{V}，户名{N}。",
    "补偿款12万元拨付至账户 {V}。",
    "经查，其借记卡{V}于2026年3月收到货款8800元。",
]
EMAIL_SENTENCES = [
    "当事人电子邮箱{V}，已于2026年11月10日电子送达。",
    "投诉人通过邮箱{V}提交了第2份材料。",
    "联系邮箱：{V}",
    "申请人{N}（邮箱 {V} ）要求公开处罚依据。",
    "请将陈述申辩材料发送至{V}，逾期视为放弃。",
]
NAME_SENTENCES = [
    "当事人{V}于2026年3月5日在桥头镇人民路擅自占道经营。",
    "经调查，{V}未取得食品经营许可证从事经营活动，违法所得2000元。",
    "决定对{V}处以罚款人民币3000元。",
    "{V}对本决定不服的，可于六十日内申请行政复议。",
    "申请人{V}申请的个体工商户登记事项已办结。",
]


def name():
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def squeeze(s):
    """What the test compares: full width folded, separators dropped."""
    s = s.translate(str.maketrans("０１２３４５６７８９ＸｘＡＢＣ", "0123456789xxabc")).lower()
    return re.sub(r"[\s\u200b\u3000\-－—.．·,/()（）\[\]+_]", "", s)


def collides(sentence, value, window):
    rest = squeeze(sentence.replace("{V}", " "))
    v = squeeze(value)
    return any(v[i:i + window] in rest for i in range(len(v) - window + 1))


rows = []


def plant(kind, value, written, templates, window, secret=0):
    while True:
        t = rng.choice(templates).replace("{N}", name())
        if not collides(t, value, window):
            break
    rows.append((kind, value, str(secret), t.replace("{V}", written)))


for i in range(60):
    v = id18() if i % 6 else id15()
    plant("id", v, ID_FORMS[i % len(ID_FORMS)](v), ID_SENTENCES, 4)
for i in range(8):  # legacy numbers with impossible dates, known as the case's own data
    v = id18(bad_date=True)
    plant("id", v, ID_FORMS[i % 4](v), ID_SENTENCES, 4, secret=1)
for i in range(68):
    v = mobile()
    plant("mobile", v, MOBILE_FORMS[i % len(MOBILE_FORMS)](v), MOBILE_SENTENCES, 5, secret=int(i % 5 == 0))
for i in range(48):
    a, l = landline()
    plant("landline", a + l, LANDLINE_FORMS[i % len(LANDLINE_FORMS)](a, l), LANDLINE_SENTENCES, 5)
for i in range(40):
    v = card()
    plant("card", v, CARD_FORMS[i % len(CARD_FORMS)](v), CARD_SENTENCES, 5)
for i in range(32):
    u, d = rng.choice(USERS), rng.choice(DOMAINS)
    if i % 8 == 7:
        u = mobile()
    plant("email", f"{u}@{d}", EMAIL_FORMS[i % len(EMAIL_FORMS)](u, d), EMAIL_SENTENCES, 3)
for i in range(30):
    n = name()
    plant("name", n, NAME_FORMS[i % len(NAME_FORMS)](n), NAME_SENTENCES, 2, secret=1)

print("# kind\tvalue\tsecret\ttext  (generated by gen_masking_corpus.py; do not edit by hand)")
for r in rows:
    assert "\t" not in r[3] and "\n" not in r[3]
    print("\t".join(r))

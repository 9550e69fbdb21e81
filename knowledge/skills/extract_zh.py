"""Candidate requirement phrases in Chinese text: the short words that name a skill, tool,
certificate or language, without the frame around them.

A line is cut into clauses; clauses about pay, benefits, the company, working conditions or
personality are skipped (their technical words describe a product or a perk, not a demand).
In the rest, the frames of a requirement (熟悉/掌握/了解/具备/熟练使用/持有/负责 …, …经验者优先),
degree words (良好的、扎实的) and generic heads (Java「语言」, TCP/IP「协议」, Oracle「数据库」,
…「证书」) are cut away and enumerations (、 和 及 与 或 /) give one phrase per item. Returned
as (start, end) offsets into the text.
"""

from __future__ import annotations

import re

from knowledge.skills.taxonomy import taxonomy

Span = tuple[int, int]

# Whole clauses that describe the job's conditions or the company, not a requirement.
_NOISE = re.compile(
    r"福利|五险|一金|双休|单休|带薪|年假|薪资|薪酬结构|底薪|提成|奖金|上不封顶|工作地点|地址|(投递|发送|投|发)简历|简历(投递|发送|请)|邮件|邮箱|"
    r"行业\s*[:：]|公司规模|成立于|是一家|我们的|加入我们|打造|转正后|试用期|住宿|餐补|包吃|包住|出差|加班|夜班|"
    r"倒班|两班倒|三班倒|性格|形象|气质|身高|年龄|遵守|服从|待遇|面议|欢迎|联系|电话|日均|处理订单|"
    r"协助完成部门|日常事务|热爱|^为|学分|学时|课时|月薪|年薪|薪资|招聘人数|公司名称|主要业务|校企合作|一家.{0,12}(企业|公司)|"
    r"到岗|时长|实习期|补贴|津贴|元\s*/\s*[月天]|每周.{0,5}\d|(不少于|不低于|至少)\s*\d+\s*个?[月周天]|"
    r"男女不限|不限|身体健康|健康状况|不良嗜好|不良记录|犯罪记录|[白晚早中]班|轮班|接受.{0,8}(安排|调配|调剂|出差|加班|班)|"
    r"提供.{0,6}(住宿|食宿|宿舍|培训|晋升|福利|社保|五险|班车|餐|证明|发展|机会)|晋升|亦可|可接受|包食宿|培训上岗|"
    r"严格(执行|遵守|按照)|男性|女性|五官|(?<!\d)\d+\s*cm|喜欢|驻场|值班|[做上][一二三四五六]休[一二]|[六五]休[一二]|至少会|"
    r"团建|氛围|年终奖|包[早午晚]?餐|认同|高收入|可转正")
# "行业：互联网" is about the company; "任职要求：熟悉…" only labels what follows.
_NOISE_LABEL = re.compile(
    r"^(行业|公司规模|公司性质|工作地点|工作时间|地址|薪资|福利|待遇|联系方式|邮箱|电话|规模|融资|招聘单位|用人单位|"
    r"实习单位|公司|单位|岗位名称|职位名称|招聘人数|实习时间|实习时长|到岗时间|截止日期|发布日期|"
    r"(公司|企业|集团|单位)(简介|介绍|概况)|关于我们|我们提供|(薪资|岗位|员工|公司)?福利(待遇)?|.{0,4}(时间|地点|地址|日期|流程|方式|待遇)|.{0,2}薪资.{0,2})$")
# Section labels say what follows; alone they name nothing (【岗位职责】, 任职资格：).
_SECTION = re.compile(r"^(岗位|工作|职位|任职|应聘|招聘)?(职责|内容|描述|要求|资格|条件|对象)$|"
                      r"^(加分项|优先条件|你需要|我们希望你.*)$")
# A clause that describes the company: the rest of its line does too (…是一家…企业，拥有员工500余人).
_COMPANY = re.compile(r"是一家|成立于|总部(位于|设在)|旗下|注册资本|占地|员工.{0,6}人|世界\s*500\s*强|上市公司|"
                      r"^(我们|我|本)?(公司|医院|学校|园|校|集团|企业|单位|门店|店)(为|是|主营|位于|拥有|始建)|"
                      r"主营|年产值|营业额|床位")
_CLAUSES = re.compile(r"[^，,。；;！!？?\n：:（）()【】]+")
# Frames before the skill: longest first so 熟练掌握 wins over 熟练.
_LEAD = sorted("""熟练掌握 熟练使用 熟练操作 熟练运用 熟练配置 熟练 精通 熟悉 掌握 了解 理解 具备 具有
拥有 持有 持 能够 能 会使用 会用 会做 会 可以 负责 参与 协助 独立完成 完成 独立
能看懂 看懂 读懂 阅读 使用 运用 进行 编写 从事 擅长 懂 有 良好的 较强的 扎实的 优秀的
丰富的 一定的 较好的 较高的 强烈的 良好 较强 扎实 优秀 丰富 一定 较好 常用 常见 主流
相关 基本 基础的 主要 一般 各类 各种 相应 日常的 公司 企业 较 很强的 出色的 突出的
极强的 突出 出色 能独立 需 需要 要求 必须 等 以及 包括 如 例如 做 画 配置 通过 以上
及以上 输出 快速 能用 面向 来 开展 定时 定期 及时 按时 准确
做过 有过 参与过 负责过 从事过 用过 做好 搞好 抓好
配合 确保 保证 每月 每周 每天 每日 组织 用""".split(), key=len, reverse=True)
# Generic heads after a name: cut one (Java语言 -> Java, 一级建造师证书 -> 一级建造师).
_TAIL = sorted("""经验者优先 者优先 优先 经验 基础知识 知识 基础 理论 原理 方法 流程 工作 规范 要求 体系 标准 证书
认证 资格证书 技术 技能 能力 的使用 使用 操作 相关工作 软件 工具 平台 框架 数据库 系统 协议 语言
系列 开发环境 环境 设备 类 相关专业 专业 学历 及以上学历 以上学历 及以上 以上 的结构 结构 书写 编写
编程功底 功底 上岗 问题 均可
管理工具 版本管理工具 办公软件 设计软件 财务软件 测试工具 推广工具 技术栈 背景 等""".split(), key=len, reverse=True)
_KEEP_ABILITY = re.compile(
    r"(沟通|学习|自学|逻辑思维|思维|应变|谈判|审美|表达|文字表达|语言表达|抗压|组织|协调|沟通协调|创新|领导|执行|"
    r"适应|动手|解决问题|分析问题|团队协作|团队合作|统筹|判断|观察|写作|服务|安全|质量|成本|风险|合规|保密|"
    r"团队|协作|合作|敬业|奉献|创业|创新)(能力|意识|精神)$")
_SOFT_SUFFIX = re.compile(r"(能力|意识|精神|力)$")
_SPLIT = re.compile(r"(?<=[\u4e00-\u9fffA-Za-z0-9])进行|(?<!参)与(?!其)|、|/(?![A-Za-z0-9])|(?<![A-Za-z0-9])/|"
                    r"(?<!亲)和(?!谐)|及(?!时)|或(?!者)|以及|并且|并(?=能|具|熟|掌|了解|有|会|可|负责|参与|完成|协助|编写|进行)|跟|同")
_YEARS = re.compile(r"(\d+|[一二三四五六七八九十两半]+)\s*年(以上|及以上)?(的)?|驾龄")
# A degree level is followed by what is said of it (及以上, 学历, 毕业 …), not by a noun: 专科护理 is nursing.
_DEGREE = re.compile(r"(?<!其)(博士|硕士|研究生|本科|大专|专科|中专|高中|中职|高职)"
                     r"(?=及以上|以上|学历|毕业|文凭|在读|应届|学生|生|或|及|、|/|[，,；;。\s（(]|$)(及以上|以上)?(学历)?")
_ETC = re.compile(r"(?<![甲乙丙丁同平高中初])等(?:[^、和及与或]{0,12})$")
_OF = re.compile(r"^(.{2,}?)(?<![下中])的(.{2,})$")
_GENERIC_ALONE = set("""认证 证书 资格 原理 结构 理论 规则 流程 维护 开发 使用 管理 设计 操作 应用
工作 处理 能力 经验 技术
相关 以上 问题 分析 工具 方法 知识 系统 专业 学历 要求 产品 业务 项目 客户 公司 团队 岗位 职位 优先
工作经验 相关经验 熟练 良好 较强 一定 常用 基本 强 高 优秀 认真 负责 积极 主动 踏实 稳重 开朗 热情
有 会 能 好 可以 均可 加分 文化 语法 运行 之一 作为 可作为""".split())
# List markers: 1、 2. (3) （四） 五、 ① ● ◆ ★ …
_MARKER = re.compile(r"^(\d{1,2}\s*[.、)）．]|[（(](\d{1,2}|[一二三四五六七八九十]{1,2})[)）]|"
                     r"[一二三四五六七八九十]{1,2}、|"
                     r"[\u2460-\u2473\u2776-\u277f]|[-*•·●◆◇■□▪▶►★☆√✔✓>])")
# Said of the degree, not a skill: 统招本科, 全日制大专.
_DEGREE_QUALIFIER = re.compile(r"^(\d{2,4}\s*届)?(国家)?(统招|全日制|正规|普通高校|国家承认|第一学历)*$")
# 标准 only after speech (普通话标准); 国家标准 is a standard.
_SAID_OF = re.compile(r"(较强|很强|强|好|较好|佳|流利|(?:(?<=话)|(?<=音)|(?<=语))标准|过硬|突出|优秀|良好|扎实)$|"
                      r"(至少|任意|任一)[一两二三\d]?(种|项|个|门)?$|均可$|"
                      r"(经验)?((?<!\d)\d+|(?<![一二三四五六七八九十两半])[一二三四五六七八九十两半]+)\s*个?(年|月)(以上|及以上)?$")
# Words that begin with a one-character frame (需, 有, 能, 来, 会 …) and are not that frame.
_ONE_CHAR_LEAD_WORDS = {w: (w[0],) for w in """需求 有限 有机 有色 能源 能耗 能效 能量 来料 来访 会计 会议 会展 持续
做账 画图 画面 懂事 较差 做工 用户 用品 用途 用电 用料 用工 用药 用餐""".split()}
# 组织 frames a duty (组织盘点) but starts a skill of its own (组织协调能力, 组织管理).
_ORGANISING = re.compile(r"能力|协调|管理|架构|结构|行为|文化|沟通|策划能力|领导")
_MARKER_AT = re.compile(_MARKER.pattern.removeprefix("^"))  # for match(text, pos): "^" holds only at 0
_TITLED = re.compile(r"[《“「]([^》”」]+)[》”」]")
_LEADS_BY_CHAR: dict[str, list[str]] = {}
for _lead in _LEAD:  # longest first, as in _LEAD
    _LEADS_BY_CHAR.setdefault(_lead[0], []).append(_lead)
_ASCII = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.&/_-]*(?:\s[A-Z][A-Za-z0-9+#.-]*)*")


def _strip(text: str, start: int, end: int, tails: bool = True) -> Span:
    """Cut frames, degree words and one generic head off text[start:end] (majors keep their
    heads: 计算机科学与技术 is a name, and their first character: 会计 does not lose 会)."""
    # Matched in place (pos, endpos), not on a copy of the piece: a clause of thousands of
    # frames (熟悉熟悉…) loses one per turn, and a copy per turn made that quadratic.
    changed = True
    while changed and start < end:
        changed = False
        marker = _MARKER_AT.match(text, start, end)
        after = marker.end() if marker else start
        while after < end and text[after] in " \u3000\t的之":
            after += 1
        if after != start:
            start = after
            changed = True
            continue
        titled = _TITLED.match(text, start, end)
        if titled:  # 《企业会计准则》: a title is a name as it stands, no frame to cut inside it
            return start + 1, titled.end(1)
        years = _YEARS.match(text, start, end)
        if years:
            start = years.end()
            changed = True
            continue
        for lead in _LEADS_BY_CHAR.get(text[start], ()):
            rest = start + len(lead)
            # 画画 is not the frame 画 + 画: what is left must still be a word.
            if lead in _ONE_CHAR_LEAD_WORDS.get(text[start:start + 2], ()) or (
                    len(lead) == 1 and any(taxonomy().lookup(text[start:start + k]) is not None
                                           for k in range(2, min(6, end - start) + 1))):
                continue  # 需求分析 does not start with the frame 需, nor 有限元 with 有; 用友 is a name
            if (text.startswith(lead, start, end)
                    and (end - rest >= 2 or rest < end and text[rest].isascii() and text[rest].isalpha())
                    and (tails or len(lead) > 1) and not (lead == "组织" and _ORGANISING.match(text, rest, end))):
                start = rest
                changed = True
                break
    piece = text[start:end]
    etc = _ETC.search(piece)
    if etc and etc.start() > 0:
        end = start + etc.start()
    for _ in range(2 if tails else 0):
        piece = text[start:end].rstrip(" \u3000的》”」")
        end = start + len(piece)
        said = _SAID_OF.search(piece)
        if said and said.start() >= 2:  # 责任心强, 英语口语流利, 框架至少一种, 经验半年以上: what is said of it
            end = start + said.start()
            piece = text[start:end]
        if re.fullmatch(r"[A-Za-z]语言", piece):  # C语言, R语言: the usual name
            break
        if _KEEP_ABILITY.search(piece) or re.search(r"[证照]$", piece):
            break
        if re.search(r"(执业|资格|从业|上岗|操作|作业|职业)证书$", piece):  # 护士执业资格证书 -> 护士执业资格证
            end -= 1
            break
        if re.fullmatch(r"[\u4e00-\u9fff]{3,}", piece) and taxonomy().lookup(piece) is not None:
            break  # a known name keeps its head: 数据结构, 操作系统
        tail = next((t for t in _TAIL if piece.endswith(t) and len(piece) > len(t)
                     and not (t == "等" and piece[-2] in "甲乙丙丁同平高中初")), None)
        if tail is None:
            if _SOFT_SUFFIX.search(piece) and len(piece) > 3 and not piece.endswith("精神"):
                end -= 2 if piece.endswith(("能力", "意识")) else 0
            break
        if tail in ("能力", "意识", "技能") and not re.search(r"[\u4e00-\u9fff]{2}", piece[:-len(tail)]):
            break
        if tail in ("标准", "规范", "体系") and re.fullmatch(r"[\u4e00-\u9fff]{1,2}", piece[:-len(tail)]):
            break  # 国家标准, 行业规范: the qualifier alone names nothing
        end -= len(tail)
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())  # Linux 操作系统 -> Linux


def _items(text: str, start: int, end: int, majors: bool = False) -> list[Span]:
    """The enumerated items of one clause, each stripped. "A、B等X" names A and B (X is
    their kind), but "A、B等平台的Y" names Y too."""
    out: list[Span] = []
    etc = text.rfind("等", start, end)
    if etc > start and not text.startswith("等级", etc) and text[etc - 1] not in "甲乙丙丁同平高中初":
        after = text[etc + 1:end]
        more = re.search(r"及|和|以及|、", after)
        of_at = after.find("的")
        if more:  # 用友、金蝶等财务软件及Excel
            out.extend(_items(text, etc + 1 + more.end(), end))
        elif of_at >= 0 and len(after) - of_at > 2:
            out.extend(_items(text, etc + 2 + of_at, end))
        end = etc
    splitter = re.compile(r"、|/|或") if majors else _SPLIT
    cursor = start
    pieces: list[Span] = []
    for m in splitter.finditer(text, start, end):
        if not (m.group(0) == "进行" and text.startswith("对", cursor)):  # 对仓库进行6S管理: the object is no skill
            pieces.append((cursor, m.start()))
        cursor = m.end()
    pieces.append((cursor, end))
    for a, b in pieces:
        a, b = _strip(text, a, b, tails=not majors)
        if b - a <= 0:
            continue
        of = _OF.match(text[a:b])
        if of:  # 设备的安装调试 -> 安装调试; 汽车电路的结构 was cut above
            if re.match(r"[A-Za-z]", of.group(1)):  # Oracle数据库的日常运维: the named tool too
                named = _strip(text, a, a + len(of.group(1)))
                out.extend(_split_names(text, *_split_mixed(text, *named)[0]))
            a = a + len(of.group(1)) + 1
            a, b = _strip(text, a, b)
        for c, d in _split_mixed(text, a, b):
            out.extend(_split_names(text, c, d))
    return [(a, b) for a, b in out if _keep(text[a:b])]


def _split_names(text: str, start: int, end: int) -> list[Span]:
    """Docker/Kubernetes is two tools, TCP/IP one: split at "/" when each side is a known name."""
    piece = text[start:end]
    if not re.search(r"/|(?<=[A-Za-z0-9])\+(?=[A-Za-z])", piece) or taxonomy().lookup(piece) is not None:
        return [(start, end)]
    parts, cursor = [], start
    for m in re.finditer(r"/|(?<=[A-Za-z0-9])\+(?=[A-Za-z])", piece):
        parts.append((cursor, start + m.start()))
        cursor = start + m.end()
    parts.append((cursor, end))
    plus = "+" in piece and "/" not in piece  # Vue3+TypeScript: a stack of names
    known = [taxonomy().lookup(text[a:b].strip()) is not None for a, b in parts]
    # SpringBoot/SpringCloud, webpack/vite: names of two letters or more, one of them known, are
    # alternatives; B/S and I/O (single letters) stay one term.
    names = all(re.fullmatch(r"[A-Za-z][A-Za-z0-9+#.-]+", text[a:b].strip()) for a, b in parts)
    if plus or all(known) or (names and any(known)):
        return [(a + len(text[a:b]) - len(text[a:b].lstrip()), b - len(text[a:b]) + len(text[a:b].rstrip()))
                for a, b in parts]
    return [(start, end)]


def _split_mixed(text: str, start: int, end: int) -> list[Span]:
    """STM32系列单片机开发 -> STM32, 单片机开发: a name, a generic word, then another skill."""
    piece = text[start:end]
    m = re.match(r"^(.{2,}?)(系列|系统下的|下的|中的)(.{2,})$", piece)
    if m:
        first = _strip(text, start, start + len(m.group(1)))
        rest = _strip(text, start + m.start(3), end)
        return [first, rest]
    m = re.match(r"^([A-Za-z][A-Za-z0-9+#.&_/-]*(?: [A-Za-z0-9][A-Za-z0-9+#.&_/-]*)*)"
                 r"(?:\s*(?:做|进行|来|实现|完成|开展|制作|处理|编写|绘制)|\s+)([\u4e00-\u9fff]{2,})$", piece)
    if m:  # (会用) Power BI 做数据可视化: the tool, then the duty done with it
        return [(start, start + len(m.group(1))), _strip(text, start + m.start(2), end)]
    m = re.match(r"^([A-Za-z][A-Za-z0-9+#.&_/-]*)([\u4e00-\u9fff]{5,})$", piece)
    if m:  # ANSYS有限元分析: a tool and what is done with it
        return [(start, start + len(m.group(1))), _strip(text, start + m.start(2), end)]
    m = re.match(r"^([A-Za-z0-9][A-Za-z0-9 +#._/-]*?)([\u4e00-\u9fff]{2,})$", piece)
    if m and m.group(2) in ("仓储管理系统", "办公软件", "设计软件", "版本管理工具", "通信协议", "质量管理体系",
                            "质量标准", "数据库", "客户端", "系统", "软件", "平台", "工具"):
        return [(start, start + len(m.group(1).rstrip()))]
    return [(start, end)]


_COURSE_CODE = re.compile(r"^[A-Z]{2,5}\s?\d{3,4}[A-Z]?$")


_WORKPLACE = re.compile(r"(店|厂|公司|企业|行业|机构|单位|从业|工地|车间|医院|药房|门诊|诊所|学校|幼儿园|"
                        r"酒店|餐厅|超市|商场)$")
_ROLE = re.compile(r"(团队|部门|负责人|经理|主管|总监|组长|实习生|专员|岗位|职位)$")


def _keep(piece: str) -> bool:
    piece = piece.strip()
    if _ROLE.search(piece) or _WORKPLACE.search(piece):  # 运营团队; 4S店(工作经验): who or where, not what
        return False
    if _COURSE_CODE.match(piece):
        return False
    if len(piece) < 2 and not re.fullmatch(r"[A-Za-z]", piece):
        return False
    if piece in _GENERIC_ALONE or re.fullmatch(r"[\d\s.%-]+", piece):
        return False
    # A Chinese phrase of more than 12 characters is a sentence, not a name; Latin parts
    # (西门子S7-1200/1500) count for less.
    cjk = len(re.findall(r"[\u4e00-\u9fff]", piece))
    return not (cjk and (cjk > 12 or len(piece) > 24))


def is_noise(line: str) -> bool:
    """The whole line is about pay, benefits, the company or working conditions."""
    clauses = [c.group(0) for c in _CLAUSES.finditer(line) if c.group(0).strip()]
    # A company description or a pay line says so in its first clause ("…是一家…企业，…").
    return bool(clauses) and bool(_NOISE.search(clauses[0]) or _NOISE_LABEL.match(clauses[0].strip()))


def candidates(text: str) -> list[Span]:
    """Requirement phrases of a Chinese (or mixed) text as (start, end) offsets."""
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        body = line.group(0)
        for clause in _CLAUSES.finditer(body):
            c_start, c_end = line.start() + clause.start(), line.start() + clause.end()
            piece = text[c_start:c_end]
            label = body[clause.end():clause.end() + 1] in ("：", ":", "】")
            if _SECTION.match(piece.strip()):
                continue
            if _COMPANY.search(piece):
                break
            if label or _NOISE.search(piece):
                if label and (_NOISE_LABEL.match(piece.strip()) or _NOISE.search(piece)):
                    break  # the rest of the line is the company's or the job's conditions
                continue
            if re.search(r"专业(优先|毕业|毕业生|在校生|学生|背景|出身)?(者)?(优先)?$", piece):
                head = re.sub(r"(等)?(相关|类|方向)?$", "", piece[:piece.rindex("专业")])
                spans.extend(_items(text, c_start, c_start + len(head), majors=True))
                continue
            degree = _DEGREE.search(piece)
            if degree:
                for level in _DEGREE.finditer(piece):  # 本科/硕士毕业生: both levels
                    d = c_start + level.start()
                    spans.append((d, d + len(level.group(1))))
                before = piece[:degree.start()]
                majors = re.match(r"^(.*?)(等)?(相关)?专业(毕业)?[，,]?$", before)
                if majors and majors.group(1):
                    spans.extend(_items(text, c_start, c_start + len(majors.group(1)), majors=True))
                elif (before.strip() and not re.search(r"专业", before)
                      and not _DEGREE_QUALIFIER.match(_MARKER.sub("", before.strip()).strip())):
                    spans.extend(_items(text, c_start, c_start + degree.start()))
                continue
            spans.extend(_items(text, c_start, c_end))
    return sorted(set(spans))

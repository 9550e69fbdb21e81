"""Every text the web console shows, in English and Chinese, and the choice between them
(``?lang=``, then the ``lang`` cookie, then the browser's Accept-Language)."""

from __future__ import annotations

LANGUAGES = ("en", "zh")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "site": "careerbot", "tagline": "Training plans, courses and job requirements in one place",
        "skip": "Skip to content", "nav": "Main", "home": "Home", "majors": "Majors",
        "match": "Match a job", "gap": "Gap report", "drift": "Drift", "ask": "Ask",
        "admin": "Admin", "language": "中文", "language_label": "Language",
        "search": "Search", "search_majors": "Search majors by code or name",
        "level": "Level", "category": "Class", "any": "any", "plans_only": "only majors with a training plan",
        "results": "{n} majors", "code": "Code", "name": "Name", "status": "Catalogue status",
        "plan": "Training plan", "yes": "yes", "no": "no", "prev": "Previous", "next": "Next",
        "no_majors": "No major matches.",
        "profile": "Graduate skill profile", "skills_by_group": "Skills by where they are taught",
        "group_core": "Core courses", "group_foundation": "Foundation courses",
        "group_internship": "Internships", "group_certificate": "Certificates",
        "group_ability": "Abilities", "group_occupation": "Occupations",
        "occupations": "Occupations it leads to", "certificates": "Certificates",
        "follow_on": "Majors of the same class", "evidence": "Evidence", "source": "Source",
        "no_profile": "No training plan describes this major, so it has no skill profile yet.",
        "not_found": "Not found", "major_not_found": "No major with code {code}.",
        "match_intro": "Paste a job description (English or Chinese) or upload a file; the skills "
                       "found are highlighted and majors ranked by how much of them they teach.",
        "job_text": "Job description", "or_upload": "or upload a file (PDF, DOCX, TXT, …)",
        "top": "Majors to show", "find_majors": "Find majors",
        "skills_found": "Skills found in the text", "recognised": "recognised skill",
        "unrecognised": "not in the vocabulary", "ranked": "Majors ranked by coverage",
        "coverage": "Coverage", "matched": "Matched", "missing": "Missing", "chart": "Chart",
        "no_skill": "No known skill was found in the text.",
        "gap_intro": "A major against chosen enterprise requirements: each required skill is "
                     "covered (core or foundation courses), partial or missing.",
        "major": "Major", "requirements": "Requirement documents", "make_report": "Make the report",
        "upload_requirement": "or upload a requirement file",
        "summary": "{req} requirements ask for {n} skills: {covered} covered, {partial} partial, "
                   "{missing} missing.",
        "most_missing": "Most-demanded missing", "skill": "Skill", "demand": "Demand",
        "training_plan": "Training plan", "export": "Export", "covered": "covered",
        "partial": "partial", "missing_s": "missing",
        "pick_requirements": "Pick at least one requirement document or upload one.",
        "drift_intro": "Skills that re-ingested enterprise documents added or dropped, and the "
                       "majors they affect.",
        "no_drift": "No enterprise document changed its skills since it was first ingested.",
        "added": "Added", "dropped": "Dropped", "affected": "Majors affected",
        "ask_intro": "Ask about majors, courses, internships or job requirements. Every answer "
                     "cites its documents.",
        "question": "Question", "role": "I am", "student": "a student", "enterprise": "from an enterprise",
        "ask_button": "Ask", "answer": "Answer", "sources": "Sources",
        "refusal": "The knowledge base does not hold this answer.",
        "login": "Sign in",
        "login_intro": "Sign in with an admin access key (made by `careerbot tokens create NAME --scope admin`).",
        "access_key": "Access key", "logout": "Sign out", "bad_key": "That access key is not valid.",
        "documents": "Documents", "queue": "Work queue", "stats": "Statistics",
        "type": "Type", "size": "Size", "chunks": "Chunks", "ingested": "Last ingest", "title": "Title",
        "upload": "Upload", "upload_intro": "Files go through the same ingest service as the command line and the bot.",
        "file": "File", "doc_type": "Document type", "uploaded": "{name}: {status}",
        "queue_intro": "Questions the knowledge base could not answer, and answers rated 👎.",
        "show_done": "show done", "hide_done": "hide done", "mark_done": "Mark done", "reopen": "Reopen",
        "done": "done", "asked": "Asked", "thumbs_down": "👎", "empty_queue": "Nothing to do.",
        "error": "Error", "csrf": "The form expired; reload the page and try again.",
        "too_many": "Too many requests; try again in {s} s.", "documents_total": "{n} documents",
        "filter": "Filter", "print": "Print",
    },
    "zh": {
        "site": "careerbot", "tagline": "培养方案、课程与企业岗位要求一站查询",
        "skip": "跳到正文", "nav": "主导航", "home": "首页", "majors": "专业",
        "match": "岗位匹配", "gap": "差距报告", "drift": "需求变化", "ask": "提问",
        "admin": "管理", "language": "English", "language_label": "语言",
        "search": "搜索", "search_majors": "按专业代码或名称搜索",
        "level": "层次", "category": "专业类", "any": "全部", "plans_only": "只看有培养方案的专业",
        "results": "共 {n} 个专业", "code": "代码", "name": "名称", "status": "目录状态",
        "plan": "培养方案", "yes": "有", "no": "无", "prev": "上一页", "next": "下一页",
        "no_majors": "没有匹配的专业。",
        "profile": "毕业生能力画像", "skills_by_group": "按培养环节分组的技能",
        "group_core": "专业核心课程", "group_foundation": "专业基础课程",
        "group_internship": "实习实训", "group_certificate": "职业证书",
        "group_ability": "能力要求", "group_occupation": "面向职业",
        "occupations": "对应职业", "certificates": "职业证书",
        "follow_on": "同类专业", "evidence": "依据", "source": "来源",
        "no_profile": "尚无培养方案描述该专业，因此还没有能力画像。",
        "not_found": "未找到", "major_not_found": "没有代码为 {code} 的专业。",
        "match_intro": "粘贴岗位描述（中文或英文）或上传文件：高亮显示识别出的技能，并按覆盖程度给专业排序。",
        "job_text": "岗位描述", "or_upload": "或上传文件（PDF、DOCX、TXT 等）",
        "top": "显示专业数", "find_majors": "匹配专业",
        "skills_found": "文中识别的技能", "recognised": "已识别技能",
        "unrecognised": "词表中没有", "ranked": "按覆盖率排序的专业",
        "coverage": "覆盖率", "matched": "已覆盖", "missing": "缺少", "chart": "图表",
        "no_skill": "文中没有找到已知技能。",
        "gap_intro": "把一个专业与所选企业要求对照：每项技能标为已覆盖（核心或基础课程）、部分覆盖或缺失。",
        "major": "专业", "requirements": "企业要求文件", "make_report": "生成报告",
        "upload_requirement": "或上传一个要求文件",
        "summary": "{req} 份企业要求共提出 {n} 项技能：已覆盖 {covered} 项，部分覆盖 {partial} 项，缺失 {missing} 项。",
        "most_missing": "需求最多的缺失技能", "skill": "技能", "demand": "需求数",
        "training_plan": "培养方案", "export": "导出", "covered": "已覆盖",
        "partial": "部分覆盖", "missing_s": "缺失", "pick_requirements": "请至少选择或上传一份企业要求。",
        "drift_intro": "重新导入的企业文件新增或删去的技能，以及受影响的专业。",
        "no_drift": "企业文件自首次导入以来技能要求没有变化。",
        "added": "新增", "dropped": "删去", "affected": "受影响的专业",
        "ask_intro": "可询问专业、课程、实习或岗位要求；每个回答都注明出处。",
        "question": "问题", "role": "身份", "student": "学生", "enterprise": "企业",
        "ask_button": "提问", "answer": "回答", "sources": "来源", "refusal": "知识库中没有这个问题的答案。",
        "login": "登录",
        "login_intro": "请用管理员访问密钥登录（由 `careerbot tokens create 名称 --scope admin` 生成）。",
        "access_key": "访问密钥", "logout": "退出", "bad_key": "访问密钥无效。",
        "documents": "文档", "queue": "待办问题", "stats": "统计",
        "type": "类型", "size": "大小", "chunks": "分块", "ingested": "最近导入", "title": "标题",
        "upload": "上传", "upload_intro": "文件经由与命令行和机器人相同的导入服务处理。",
        "file": "文件", "doc_type": "文档类型", "uploaded": "{name}：{status}",
        "queue_intro": "知识库未能回答的问题，以及被点 👎 的回答。",
        "show_done": "显示已处理", "hide_done": "隐藏已处理", "mark_done": "标为已处理",
        "reopen": "重新打开",
        "done": "已处理", "asked": "提问时间", "thumbs_down": "👎", "empty_queue": "没有待办。",
        "error": "错误", "csrf": "表单已过期，请刷新页面后重试。",
        "too_many": "请求过多，请 {s} 秒后再试。", "documents_total": "共 {n} 份文档",
        "filter": "筛选", "print": "打印",
    },
}


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language: an explicit choice, a remembered one, then the browser's preference."""
    for choice in (query, cookie):
        if choice in LANGUAGES:
            return choice
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return sorted(ranked)[0][2] if ranked else "en"


class Translator:
    """``t("key", n=3)`` in templates: the text in the page language, English when missing."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "en"

    def __call__(self, key: str, **values: object) -> str:
        text = TEXTS[self.language].get(key) or TEXTS["en"].get(key) or key
        return text.format(**values) if values else text

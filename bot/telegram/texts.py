"""What the bot says, in English and Chinese. Answers follow the question's language; these
follow the user's Telegram language."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "start": "Hello! I'm careerbot. I answer from the college's training plans, course "
                 "descriptions and partner enterprises' requirements, and I always cite my "
                 "sources.\n\nWho are you?",
        "role_student": "I'm a student",
        "role_enterprise": "I'm from an enterprise",
        "role_set_student": "Got it: you're a student. Ask me which courses teach a skill, what a "
                            "major leads to, or which internships fit you.",
        "role_set_enterprise": "Got it: you're from an enterprise. Ask me what graduates of a "
                               "major can do, or which majors fit a job.",
        "role_prompt": "Choose your role:",
        "help": "Ask any question in English or Chinese. Commands:\n"
                "/start — choose your role\n/role — change your role\n"
                "/majors — browse majors\n/major CODE or NAME — one major\n"
                "/course CODE — one course\n/internships — internship places\n"
                "/skills MAJOR — what graduates can do\n/match JOB — majors that fit a job\n"
                "/reset — start a new conversation\n/forget — delete everything stored about you\n"
                "/help — this message",
        "unknown_command": "I don't know that command.",
        "sources": "Sources",
        "sources_button": "Sources",
        "no_sources": "This answer has no sources: the knowledge base held nothing on it.",
        "thanks": "Thanks for the feedback!",
        "expired": "That answer is no longer available.",
        "reset": "Done: I've forgotten our conversation so far ({n} questions).",
        "forget": "Deleted everything stored about you: {messages} questions and answers, "
                  "{feedback} feedback entries, {profile} profile.",
        "rate_limited": "You're asking faster than I can keep up. Please wait {seconds} s.",
        "too_long": "That question is too long (over {limit} characters). Please shorten it.",
        "not_text": "I can only read text messages. Please type your question.",
        "error": "Sorry, something went wrong on my side. Please try again in a moment.",
        "store_down": "The knowledge base is unavailable right now. Please try again in a few "
                      "minutes.",
        "admins_only": "This command is for administrators.",
        "upload_refused": "You can't add documents. Ask a college administrator.",
        "upload_stored": "Stored {name} as {doc_type}: {chunks} passages.",
        "upload_unchanged": "{name} is already in the knowledge base, unchanged.",
        "upload_failed": "Could not store {name}: {error}",
        "upload_too_large": "the file is over the {mb} MB limit",
        "stats": "Users: {users}\nQuestions: {questions}\nUnanswered: {unanswered}\n"
                 "👍 {thumbs_up} / 👎 {thumbs_down} ({rate})\nDocuments: {documents}, "
                 "passages: {chunks}{jobs}",
        "upload_queued": "Received {name}: it is queued for ingestion (job {job}).",
        "unanswered_empty": "No unanswered questions. 🎉",
        "unanswered_title": "Recent questions the knowledge base could not answer:",
        "majors_title": "Majors by category — choose one:",
        "majors_none": "No training plans or major catalogues are in the knowledge base yet.",
        "usage_major": "Usage: /major CODE or NAME, e.g. /major 510204",
        "usage_course": "Usage: /course CODE, e.g. /course COSC 3380",
        "usage_skills": "Usage: /skills MAJOR, e.g. /skills 510204",
        "usage_match": "Usage: /match JOB DESCRIPTION, e.g. /match data analyst: SQL, Python, Power BI",
        "none_skills": "No training plan in the knowledge base matches that major.",
        "none_match": "I found no known skill in that text, or no major that teaches any of them.",
    },
    "zh": {
        "start": "你好！我是 careerbot。我根据学校的人才培养方案、课程介绍和合作企业的用人需求回答问题，"
                 "并注明出处。\n\n请问你是？",
        "role_student": "我是学生",
        "role_enterprise": "我来自企业",
        "role_set_student": "好的，你是学生。可以问我某项技能由哪些课程讲授、某个专业面向哪些职业、哪些实习适合你。",
        "role_set_enterprise": "好的，你来自企业。可以问我某专业毕业生具备哪些能力、哪些专业适合某个岗位。",
        "role_prompt": "请选择你的身份：",
        "help": "用中文或英文直接提问即可。命令：\n/start — 选择身份\n/role — 更改身份\n"
                "/majors — 浏览专业\n/major 代码或名称 — 查看专业\n/course 代码 — 查看课程\n"
                "/internships — 实习岗位\n/skills 专业 — 毕业生技能画像\n/match 岗位描述 — 匹配专业\n"
                "/reset — 开始新对话\n/forget — 删除关于你的全部记录\n"
                "/help — 帮助",
        "unknown_command": "我不认识这个命令。",
        "sources": "来源",
        "sources_button": "查看来源",
        "no_sources": "这个回答没有来源：知识库中没有相关内容。",
        "thanks": "感谢反馈！",
        "expired": "这个回答已不可用。",
        "reset": "好的，已清除之前的对话（{n} 个问题）。",
        "forget": "已删除关于你的全部记录：{messages} 条问答、{feedback} 条反馈、{profile} 份资料。",
        "rate_limited": "提问太快了，请 {seconds} 秒后再试。",
        "too_long": "问题太长（超过 {limit} 个字符），请精简后再问。",
        "not_text": "我只能阅读文字消息，请输入你的问题。",
        "error": "抱歉，我这边出了点问题，请稍后再试。",
        "store_down": "知识库暂时不可用，请过几分钟再试。",
        "admins_only": "此命令仅限管理员使用。",
        "upload_refused": "你没有上传文档的权限，请联系学校管理员。",
        "upload_stored": "已保存 {name}（类型 {doc_type}），共 {chunks} 段。",
        "upload_unchanged": "{name} 已在知识库中，内容未变。",
        "upload_failed": "无法保存 {name}：{error}",
        "upload_too_large": "文件超过 {mb} MB 的上限",
        "stats": "用户：{users}\n问题：{questions}\n未回答：{unanswered}\n"
                 "👍 {thumbs_up} / 👎 {thumbs_down}（{rate}）\n文档：{documents}，段落：{chunks}{jobs}",
        "upload_queued": "已收到 {name}，已加入导入队列（任务 {job}）。",
        "unanswered_empty": "没有未回答的问题。🎉",
        "unanswered_title": "知识库最近未能回答的问题：",
        "majors_title": "按类别浏览专业，请选择：",
        "majors_none": "知识库中还没有人才培养方案或专业目录。",
        "usage_major": "用法：/major 代码或名称，例如 /major 510204",
        "usage_course": "用法：/course 代码，例如 /course COSC 3380",
        "usage_skills": "用法：/skills 专业代码或名称，例如 /skills 510204",
        "usage_match": "用法：/match 岗位描述，例如 /match 数据分析师：SQL、Python、Power BI",
        "none_skills": "知识库中没有与该专业匹配的人才培养方案。",
        "none_match": "没有在这段文字中找到已知技能，或没有专业讲授这些技能。",
    },
}


def language_of(language_code: str | None) -> str:
    return "zh" if (language_code or "").lower().startswith("zh") else "en"


def t(language: str, key: str, **values: object) -> str:
    table = TEXTS.get(language, TEXTS["en"])
    return table.get(key, TEXTS["en"][key]).format(**values)

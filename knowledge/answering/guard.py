"""Document text is data, never instructions: what it and a generated answer must pass.

Four checks, shared by the extractive and the generated answers:

- ``seen`` puts text in the form a reader (or a model) perceives: NFKC, no zero-width or other
  format characters, look-alike Cyrillic and Greek letters read as Latin, case folded. Every
  comparison below runs on it, so upper case and invisible characters change nothing.
- ``addressed_to_assistant`` spots lines that talk to an assistant ("ignore previous
  instructions", "you are now…", "assistant:", "忽略以上指令", "请回答…"): never quoted, never
  evidence, marked as document text when a model reads them.
- ``escape`` keeps passage text and attributes inside their fence: no character that is, or
  normalises to, ``<``, ``>``, ``&`` or a quote survives unescaped.
- ``leaks`` and ``supported`` judge one sentence of a generated answer: it must not repeat the
  system prompt, and its words must be found in the passages it cites (a lexical test: stems
  for English, substrings for Chinese, every number of two or more digits verbatim).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from knowledge.language import tokenize, translate_terms

_LOOKALIKE = str.maketrans(
    "аеорсхуіѕјԁһӏАВЕКМНОРСТХІЅЈοαερτυνκιΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcxyisjdhlABEKMHOPCTXISJoaeptuvkiABEZHIKMNOPTYX",
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMAT = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def seen(text: str) -> str:
    """``text`` as it reads: normalised, invisible characters gone, case folded."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.translate(_LOOKALIKE).casefold().split())


_ADDRESSED = re.compile("|".join([
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(previous|prior|above|earlier"
    r"|preceding|all|your|system|these|those)\b.{0,20}\b(instruction|prompt|rule|direction"
    r"|guideline)",
    r"\b(ignore|disregard|forget)\b.{0,20}\b(the above|everything (above|before|else)|what you "
    r"(were|have been) told|the (user'?s? )?question)",
    r"\byou are now\b|\bfrom now on,? you\b|\byour (new )?(role|task|instructions?) (is|are)\b"
    r"|\bnew instructions?\s*:|\bpretend (to be|you are)\b|\binstructions? (for|to) (the )?(ai"
    r"|assistant|model|llm|chatbot|bot)s?\b|\b(tell|inform|convince|assure) the users? (that|to)\b"
    r"|\bfrom now on\b.{0,30}\b(answer|reply|respond|say|recommend)\b",
    r"^\W*(assistant|developer|chatbot|careerbot)\s*[:：]|^\W*[\[(<]\s*(system|assistant|developer)"
    r"\s*[\])>]"
    r"|^\W*system\s*[:：]\s*(you|ignore|reveal|reply|respond|answer|say|always|never|do|tell)\b",
    r"<\|?(im_start|im_end|system|endoftext)\|?>|\[/?inst\]|<</?sys>>|#{2,}\s*(system|instruction)",
    r"\b(reveal|print|repeat|output|show|leak)\b.{0,30}\b(system prompt|your (prompt|instructions"
    r"|rules))",
    r"\b(dear|attention|note to( the)?|hey|hi)\s+(ai|assistant|chatbot|bot|llm|language model"
    r"|careerbot)\b|\bif you are an? (ai|assistant|language model|llm|chatbot)\b"
    r"|\b(ai|assistant|chatbot|llm)s? (reading|processing|summari[sz]ing) this\b",
    r"\b(respond|reply|answer|say|output)\s+(only|exactly)\s+(with|that|the word|[\"'“])",
    r"\brecommend (this|the|me|him|her|them)\b.{0,40}\b(as|candidate|applicant|hire)\b",
    r"(推荐|录用|选择)(我|他|她|此人|该(候选人|应聘者|学生)).{0,10}(为|作为|是)?.{0,6}(最佳|最好|首选|最合适)",
    r"(忽略|无视|忽视|不要理会|忘记|忘掉|跳过).{0,10}(之前|以上|上面|前面|先前|上述|所有|全部|一切|系统)"
    r".{0,8}(指令|指示|提示|规则|要求|设定|说明)",
    r"你现在是|现在你是|从现在(起|开始)[,，]?你|你的新(任务|角色|指令)|扮演(一个|一名)?.{0,8}(助手|机器人)",
    r"^\W*(助手|助理|机器人)\s*[:：]|^\W*系统\s*[:：]\s*(你|忽略|请|回答|输出|必须)",
    r"请(你|直接|只|务必|一定)?(回答|输出|告诉用户|告诉学生)|请(你|直接|只)回复",
    r"(泄露|透露|显示|输出|重复|打印).{0,8}(系统提示|提示词|系统指令|你的指令)",
    r"(ai|人工智能|智能)助手.{0,6}(必须|应该|应当|务必)",
]), re.MULTILINE)


def printable(text: str) -> str:
    """``text`` without control characters (terminal escapes), newlines and tabs kept."""
    return _CONTROL.sub("", text)


def addressed_to_assistant(line: str) -> bool:
    """True for a line that gives orders to an assistant (however it is disguised).

    Keyword stuffing alone is not counted: on the shared corpus (43,771 sentences) every
    repetition threshold also caught honest lists of course or programme names, while these
    patterns caught none of them."""
    return bool(_ADDRESSED.search(seen(line)))


_SENTENCE = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+|\n+")


def document_sentences(text: str) -> list[str]:
    """Sentences of a passage, for finding the ones addressed to an assistant."""
    return [s for s in _SENTENCE.split(text) if s and s.strip()]


def without_orders(text: str) -> str:
    """``text`` with its sentences addressed to an assistant removed."""
    return " ".join(s.strip() for s in document_sentences(text) if not addressed_to_assistant(s))


@lru_cache(maxsize=256)
def _escapes(char: str) -> bool:
    return any(c in unicodedata.normalize("NFKC", char) for c in "<>&\"'")


def escape(text: str, *, attribute: bool = False) -> str:
    """``text`` that cannot open, close or fake a fence tag (nor leave an attribute)."""
    out: list[str] = []
    for char in text:
        if attribute and (unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")):
            out.append(" " if char in "\t\n\r\u2028\u2029" else "")
        elif char in "&<>" or (attribute and char in "\"'") or (ord(char) > 127 and _escapes(char)):
            out.append({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}.get(
                char, f"&#x{ord(char):x};"))
        else:
            out.append(char)
    return "".join(out)


def _ngrams(text: str, n: int = 6) -> set[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    # A format character may hide inside a word or stand in for a space: read it both ways.
    for reading in (seen(text), seen(_FORMAT.sub(" ", text))):
        words = re.findall(r"\w+", reading)
        grams.update(tuple(words[i:i + n]) for i in range(len(words) - n + 1))
    return grams


@lru_cache(maxsize=16)
def _system_ngrams(system: str) -> frozenset[tuple[str, ...]]:
    return frozenset(_ngrams(system))


def leaks(text: str, system: str) -> bool:
    """True when ``text`` repeats six words in a row of the system prompt, however disguised."""
    return not _ngrams(text).isdisjoint(_system_ngrams(system))


_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_CITATION = re.compile(r"\[\d{1,2}\]")


class Evidence:
    """What a passage says, in the forms ``supported`` compares: stems, text, numbers."""

    def __init__(self, text: str) -> None:
        glossary = translate_terms(text)
        self.text = seen(f"{text} {glossary}")
        self.stems = set(tokenize(self.text))
        self.numbers = {n.replace(",", "") for n in _NUMBER.findall(self.text)}


def supported(sentence: str, evidence: list[Evidence], share: float = 0.5) -> bool:
    """True when ``sentence`` is borne out by ``evidence`` (the passages it cites)."""
    text = seen(_CITATION.sub(" ", sentence))
    numbers = {n.replace(",", "") for n in _NUMBER.findall(text) if len(n) >= 2}
    if any(all(n not in e.numbers for e in evidence) for n in numbers):
        return False
    words = set(tokenize(text))
    if not words:
        return False

    def found(word: str) -> bool:
        if _CJK.match(word):
            return any(word in e.text for e in evidence)
        return any(word in e.stems for e in evidence)

    return sum(found(w) for w in words) >= share * len(words)

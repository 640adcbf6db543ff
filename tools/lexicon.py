"""Shopper lines in Spanish, French, German or Chinese, put into the English the catalog and the labelled intents use.

    language("busco auriculares inalámbricos")   # "es"
    to_english("busco auriculares inalámbricos")  # "looking for headphones wireless"

A word list, not a translator (prompts/product_words.yaml): product and shopping words are replaced, function
words dropped, anything else (brands, model names, ids, numbers) kept as written. Offline and instant; no
multilingual embedding model installs from the package index here. English lines come back unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tools.resources import load_prompt_yaml

__all__ = ["language", "to_english"]

_CJK = re.compile(r"[\u3400-\u9fff]")
_TOKEN = re.compile(r"[\w'’-]+|[^\w\s]", re.UNICODE)
# Words that mark a line as English (so "de" or "mat" alone does not make it Spanish or German).
_ENGLISH = frozenset("""the a an for with under over and or my me i i'm show want need looking find to in of is
are do does can will would be you have any some please pls cart add remove compare reviews what which when how
this that it than less more get buy best cheap new""".split())


@dataclass(frozen=True)
class _Language:
    words: dict[str, str]  # folded phrase -> English
    stop: frozenset[str]
    longest: int  # words in the longest phrase


def _fold(text: str) -> str:
    text = text.lower().replace("ß", "ss").replace("’", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, _Language]:
    out = {}
    for code, entry in load_prompt_yaml("product_words.yaml").items():
        words = {_fold(str(k)): str(v) for k, v in (entry.get("words") or {}).items()}
        out[code] = _Language(words, frozenset(_fold(str(w)) for w in entry.get("stop") or []),
                              max((k.count(" ") + 1 for k in words), default=1))
    return out


def language(text: str) -> str:
    """"zh", "es", "fr", "de" or "en": the language whose words the line uses most (ties: English)."""
    if _CJK.search(text):
        return "zh"
    tokens = [_fold(t) for t in _TOKEN.findall(text) if t[0].isalpha()]
    scores = {"en": sum(t in _ENGLISH for t in tokens)}
    for code, lang in _lexicon().items():
        if code != "zh":
            # A word spelt the same in English ("perfume", "monitor") says nothing about the language.
            scores[code] = sum(t in lang.stop or (t in lang.words and lang.words[t].lower() != t) for t in tokens)
    if re.search(r"[ñ¿¡]", text):
        scores["es"] = scores.get("es", 0) + 2
    best = max(scores, key=lambda k: (scores[k], k == "en"))
    return best if scores[best] > scores["en"] else "en"


def to_english(text: str, lang: str | None = None) -> str:
    """The line with its product and shopping words in English (unchanged when it is English already).
    `lang` names the language when a longer line it came from was detected already."""
    code = lang or language(text)
    if code == "en":
        return text
    words = _lexicon().get(code)
    if words is None:
        return text
    return _chinese(text, words) if code == "zh" else _words(text, words)


def _words(text: str, lang: _Language) -> str:
    tokens = _TOKEN.findall(text)
    folded = [_fold(t) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in range(min(lang.longest, len(tokens) - i), 0, -1):
            phrase = " ".join(folded[i:i + n])
            # Romance nouns lead their phrase: "esterillas de yoga" is the plural of "esterilla de yoga".
            found = next((p for p in [phrase] + [" ".join([w, *folded[i + 1:i + n]]) for w in _singulars(folded[i])]
                          if p in lang.words), None) if n > 1 else (phrase if phrase in lang.words else None)
            if found is not None:
                out.append(lang.words[found])
                i += n
                break
        else:
            plural = next((lang.words[w] for w in _singulars(folded[i]) if w in lang.words), None)
            if plural is not None:
                out.append(plural)
            elif folded[i] not in lang.stop and tokens[i] not in "¿¡":
                out.append(tokens[i])
            i += 1
    return _tidy(" ".join(out))


def _singulars(word: str) -> list[str]:
    """"esterillas" -> "esterilla", "tentes" -> "tente", "yogamatten" -> "yogamatte": plurals the list lacks."""
    return [word[:-n] for n, ends in ((1, "s"), (2, "es"), (1, "n"), (2, "en"), (1, "e")) if word.endswith(ends)
            and len(word) - n >= 3]


def _chinese(text: str, lang: _Language) -> str:
    """Longest match at each position; Latin runs (brands, ids, numbers) are kept, other characters dropped."""
    longest = max((len(k) for k in lang.words), default=1)
    out: list[str] = []
    i = 0
    while i < len(text):
        for n in range(min(longest, len(text) - i), 0, -1):
            if text[i:i + n] in lang.words:
                out.append(lang.words[text[i:i + n]])
                i += n
                break
        else:
            m = re.match(r"[A-Za-z0-9$€£¥.,'\-]+", text[i:])
            if m:
                out.append(m.group(0))
                i += m.end()
            else:
                if text[i] in "，。？！,?!":
                    out.append(",")
                i += 1
    return _tidy(" ".join(out))


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.!?;:])", r"\1", text)
    text = re.sub(r"(?:,\s*){2,}", ", ", text)
    return " ".join(text.split()).strip(" ,")

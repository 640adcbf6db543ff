"""BM25 over the catalog's indexed texts (bm25s), cached per store revision, with typo correction."""

from __future__ import annotations

import json
import re
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import bm25s
import numpy as np

from tools.catalog.query import edit_distance

__all__ = ["LexicalIndex", "lexical_index"]

_CATEGORY_KEYS = ("cat0", "cat1", "cat2", "cat_leaf")  # as build_where: any level, not the path
_WORD = re.compile(r"(?u)\b\w\w+\b")


def _stemmer() -> Callable[[str], str] | None:
    """English Snowball stemmer when PyStemmer is installed; plain words otherwise."""
    try:
        import Stemmer  # PyStemmer: optional, C extension
    except ImportError:
        return None
    return Stemmer.Stemmer("english").stemWord


def _boosted(text: str) -> str:
    # The first line of Product.search_text() is the title: repeating it is a cheap title-field boost.
    title = text.split("\n", 1)[0]
    return f"{title}\n{title}\n{text}"


class LexicalIndex:
    """A BM25 index of one store revision: ids in the store's order, scores over all of them."""

    def __init__(self, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]]) -> None:
        self.ids = ids
        self.position = {doc_id: i for i, doc_id in enumerate(ids)}
        self.tokenizer = bm25s.tokenization.Tokenizer(stopwords="en", stemmer=_stemmer())
        self.bm25 = bm25s.BM25()
        if texts:
            tokens = self.tokenizer.tokenize([_boosted(t) for t in texts], return_as="tuple",
                                             show_progress=False)
            self.bm25.index(tokens, show_progress=False)
        self._columns(metadatas)
        self.brands: list[str] = []
        self.categories: list[str] = []
        counts = Counter(w for t in texts for w in _WORD.findall(t.lower()) if w.isalpha())
        self.vocabulary: dict[str, int] = dict(counts)
        # Deletion neighbourhood (SymSpell-style): finds every word one edit away without a full scan.
        self._deletes: dict[str, list[str]] = {}
        for word in self.vocabulary:
            if len(word) >= 4:
                for variant in {word[:i] + word[i + 1:] for i in range(len(word))} | {word}:
                    self._deletes.setdefault(variant, []).append(word)

    def _columns(self, metadatas: list[dict[str, Any]]) -> None:
        # Filters run on every query: numpy columns (labels as integer codes) keep them fast at 100k.
        # One row per offer (variant): price and stock filters must hold for the same variant.
        offers = [json.loads(m["offers"]) if m.get("offers") else [[float(m.get("price") or 0.0),
                                                                    bool(m.get("in_stock", True))]]
                  for m in metadatas]
        self._owner = np.repeat(np.arange(len(offers)), [len(o) for o in offers]).astype(np.int64)
        self._price = np.array([o[0] for group in offers for o in group], dtype=np.float64)
        self._in_stock = np.array([bool(o[1]) for group in offers for o in group], dtype=bool)
        self._listed = np.array([bool(m.get("listed", True)) for m in metadatas], dtype=bool)
        self._any_in_stock = np.bincount(self._owner[self._in_stock], minlength=len(offers)) > 0
        self.rating = np.array([float(m["rating"]) if m.get("rating") is not None else -1.0
                                for m in metadatas], dtype=np.float64)
        self._codes: dict[str, int] = {"": 0}
        self._brand = self._encode(str(m.get("brand") or "") for m in metadatas)
        self._cats = [self._encode(str(m.get(k) or "") for m in metadatas) for k in _CATEGORY_KEYS]

    def _encode(self, labels: Iterable[str]) -> np.ndarray:
        return np.array([self._codes.setdefault(v.lower(), len(self._codes)) for v in labels], dtype=np.int32)

    def mask(self, filters: dict[str, Any]) -> np.ndarray | None:
        """Which documents pass the filters (the in-memory twin of store.build_where); None: all."""
        f = {k: v for k, v in filters.items() if v is not None}
        if not f and self._listed.all():
            return None
        keep = self._listed.copy()  # drafts and hidden products are never found
        offer_filters = f.keys() & {"max_price", "min_price", "in_stock"}
        if offer_filters:
            fits = np.ones(len(self._price), dtype=bool)
            if "max_price" in f:
                fits &= self._price <= float(f["max_price"])
            if "min_price" in f:
                fits &= self._price >= float(f["min_price"])
            stock = bool(f["in_stock"]) if "in_stock" in f else None
            if stock is True:  # in stock: the same variant as the price
                fits &= self._in_stock
            keep &= np.bincount(self._owner[fits], minlength=len(self.ids)) > 0
            if stock is False:  # out of stock: no variant can be bought
                keep &= ~self._any_in_stock
        if "min_rating" in f:
            keep &= self.rating >= float(f["min_rating"])
        if "brand" in f:
            keep &= self._brand == self._codes.get(str(f["brand"]).strip().lower(), -1)
        if "category" in f:
            code = self._codes.get(str(f["category"]).strip().lower(), -1)
            keep &= np.logical_or.reduce([column == code for column in self._cats])
        return keep

    def __len__(self) -> int:
        return len(self.ids)

    def correct(self, text: str) -> tuple[str, dict[str, str]]:
        """The text with words unknown to the catalog replaced by its closest frequent word (one edit)."""
        fixes: dict[str, str] = {}
        for word in set(_WORD.findall(text.lower())):
            if len(word) < 5 or not word.isalpha() or self._known(word):
                continue
            pool = {c for v in {word[:i] + word[i + 1:] for i in range(len(word))} | {word}
                    for c in self._deletes.get(v, ())}
            # The first letter is rarely the one mistyped; requiring it avoids most false fixes.
            near = [c for c in pool if c[0] == word[0] and edit_distance(word, c, 1) <= 1]
            if near:
                # Typing drops letters more often than it adds them: prefer fixes at least as long.
                fixes[word] = max(near, key=lambda c: (len(c) >= len(word), self.vocabulary[c], c))
        for wrong, right in fixes.items():
            text = re.sub(rf"\b{re.escape(wrong)}\b", right, text, flags=re.IGNORECASE)
        return text, fixes

    def _known(self, word: str) -> bool:
        """In the vocabulary, or an inflection of a word that is ("loves" ~ "loved", "squeeze" ~ "squeezer")."""
        endings = ("s", "es", "d", "ed", "ing", "ly")
        bases = {word} | {word[: -len(e)] for e in endings if word.endswith(e) and len(word) - len(e) >= 3}
        return any(b + e in self.vocabulary for b in bases for e in ("", *endings, "r", "er"))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for `query` (zeros when no query word is indexed)."""
        if not self.ids:
            return np.zeros(0, dtype=np.float32)
        known = self._term_ids(query)
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self.bm25.get_scores(known)

    def coverage(self, query: str, ids: list[str]) -> dict[str, float]:
        """Share of the query's indexed terms that each of `ids` contains (1.0: every word matches)."""
        terms = self._term_ids(query) if ids else []
        if not terms:
            return {doc_id: 0.0 for doc_id in ids}
        rows = np.array([self.position[doc_id] for doc_id in ids])
        indptr, indices = self.bm25.scores["indptr"], self.bm25.scores["indices"]
        hits = np.zeros(len(ids))
        for t in terms:  # the index is term -> documents, so each term is one slice
            hits += np.isin(rows, indices[indptr[t]:indptr[t + 1]])
        return {doc_id: float(h) / len(terms) for doc_id, h in zip(ids, hits)}

    def _term_ids(self, query: str) -> list[int]:
        if not self.ids:
            return []
        ids = self.tokenizer.tokenize([query], update_vocab=False, return_as="ids", show_progress=False)[0]
        return sorted({i for i in ids if i < len(self.bm25.scores["indptr"]) - 1})

    def top(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The `k` best (id, score) pairs with a positive score, optionally only where `mask` is true."""
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, int((scores > 0).sum()))
        if k <= 0:
            return []
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in best]


# Keyed weakly by the store object, so a closed store's index goes with it.
_CACHE: weakref.WeakKeyDictionary[Any, tuple[Any, LexicalIndex]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def lexical_index(store: Any) -> LexicalIndex:
    """The BM25 index of `store`'s current revision, built once per revision and kept in memory."""
    revision = store.revision
    with _LOCK:
        cached = _CACHE.get(store)
        if cached is not None and cached[0] == revision:
            return cached[1]
    ids, texts, metadatas = store.documents()
    index = LexicalIndex(list(ids), list(texts), list(metadatas))
    # The query parser needs these on every call; they change only with the revision too.
    index.brands, index.categories = list(store.brands()), list(store.categories())
    with _LOCK:
        _CACHE[store] = (revision, index)
    return index

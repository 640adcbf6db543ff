"""The likely tool of a line: its nearest hand-labelled lines (prompts/intents.yaml) by embedding, and those
lines' embeddings kept on disk so a new process does not embed them again."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Collection, Iterable

import numpy as np

__all__ = ["IntentIndex", "kept_embeddings"]

_MASK = re.compile(r"(?i)(?<![\w$])(?:#\s*)?p?\d+(?:[.,]\d+)?\b")


class IntentIndex:
    """k nearest labelled lines by cosine, votes weighted by similarity. Ids and numbers are masked on both
    sides: the embedding should see "compare N and N", not which ids happen to be alike."""

    def __init__(self, labelled: dict[str, list[str]], embed: Callable[[list[str]], np.ndarray], k: int = 7,
                 same: float = 0.95, known: Iterable[str] = ()) -> None:
        """`known`: lines that will be asked about (the few-shot bank's), embedded in the labelled lines' batch
        (kept on disk with it): one onnxruntime run instead of one per line, 0.35 s at the first turn."""
        self.labels = [tool for tool, lines in labelled.items() for _ in lines]
        self._embed, self.k, self.same = embed, k, same
        masked = [_MASK.sub("N", line) for lines in labelled.values() for line in lines]
        extra = list(dict.fromkeys(m for line in known if (m := _MASK.sub("N", line)) not in masked))
        vectors = embed(masked + extra)
        self._vectors = vectors[: len(masked)]
        self._known = dict(zip(masked + extra, vectors))

    def _vector(self, text: str) -> np.ndarray:
        masked = _MASK.sub("N", text)
        known = self._known.get(masked)
        return known if known is not None else self._embed([masked])[0]

    def nearest(self, text: str, among: Collection[str] | None = None) -> str:
        """The tool the k nearest lines vote for (weights: similarity to the 4th power, so close lines count far
        more than loose ones); a line that all but repeats a labelled one takes its label. With `among`, only
        lines labelled with one of those tools vote."""
        sims = self._vectors @ self._vector(text)
        if among is not None:
            sims = np.where([label in among for label in self.labels], sims, -np.inf)
        order = np.argsort(-sims)[: self.k]
        if not np.isfinite(sims[order[0]]):
            return "none"
        if sims[order[0]] >= self.same:
            return self.labels[order[0]]
        votes: Counter[str] = Counter()
        for i in order:
            if np.isfinite(sims[i]):
                votes[self.labels[i]] += max(float(sims[i]), 0.0) ** 4
        return votes.most_common(1)[0][0]


def kept_embeddings(embed: Callable[[list[str]], np.ndarray], directory: Path, model: str) -> Callable[[list[str]], np.ndarray]:
    """`embed`, with the first (labelled lines') batch kept on disk by its texts' hash: a new process skips it."""
    first = [True]

    def cached(texts: list[str]) -> np.ndarray:
        if not first[0] or len(texts) < 2:
            return embed(texts)
        first[0] = False
        path = directory / f"intents-{hashlib.sha256(chr(0).join([model, *texts]).encode()).hexdigest()[:16]}.npy"
        try:
            return np.load(path)
        except (OSError, ValueError):
            vectors = embed(texts)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
        except OSError:
            pass  # an unwritable cache costs the next launch a second, nothing more
        return vectors

    return cached

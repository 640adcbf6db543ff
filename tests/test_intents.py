"""The intent index (tools/intents.py): which lines it embeds, in how many runs, and what it keeps on disk."""

from __future__ import annotations

import numpy as np

from tests.test_grammar_hints import REGISTRY, bag_of_words
from tools.hints import ShoppingHints
from tools.intents import IntentIndex, kept_embeddings


def test_the_labelled_lines_embeddings_are_kept_for_the_next_process(tmp_path):
    calls: list[int] = []

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        return bag_of_words(texts)

    first = IntentIndex({"view_cart": ["show my cart"], "none": ["hello"]}, kept_embeddings(counting, tmp_path, "m"))
    again = IntentIndex({"view_cart": ["show my cart"], "none": ["hello"]}, kept_embeddings(counting, tmp_path, "m"))
    assert calls == [2] and np.allclose(first._vectors, again._vectors)  # the second index read them from disk
    assert again.nearest("show my cart please") == "view_cart" and calls == [2, 1]  # queries are embedded live
    IntentIndex({"view_cart": ["show my basket"], "none": ["hello"]}, kept_embeddings(counting, tmp_path, "m"))
    assert calls == [2, 1, 2]  # other lines: embedded again


def test_known_lines_are_embedded_with_the_labelled_ones_and_read_alike():
    calls: list[list[str]] = []

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return bag_of_words(texts)

    labelled = {"add_to_cart": ["add N to cart"], "view_cart": ["show my cart"], "none": ["hello"]}
    known = ["add P12 to my cart", "show my cart", "hello there"]
    hints = ShoppingHints(REGISTRY, IntentIndex(labelled, counting, known=known))
    plain = ShoppingHints(REGISTRY, IntentIndex(labelled, bag_of_words))
    # One batch: the labelled lines, then the known lines not among them, masked.
    assert calls == [["add N to cart", "show my cart", "hello", "add N to my cart", "hello there"]]
    assert [hints.note(line) for line in known] == [plain.note(line) for line in known]
    assert len(calls) == 1  # the known lines were not embedded again
    assert hints.note("show my basket") == plain.note("show my basket") and calls[1:] == [["show my basket"]]

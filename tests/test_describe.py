"""Grounded descriptions: the checker, the draft → retry → template flow, and `describe --missing`.

The model here is scripted (the tests are about the checker and the flow); one test drives the real embedded
GGUF and asserts only that whatever it produced, the result is grounded.
"""

from __future__ import annotations

import argparse
import io
import json

import pytest
from rich.console import Console

from tools import app
from agent.models import ModelUnavailable, ScriptedModel
from tools.deps import ShopDeps
from agent.tools import ToolContext, ToolError
from tools.catalog.store import CatalogStore
from tools.describe import (catalog_vocabulary, check_grounding, missing_descriptions, template_description,
                            write_description)
from tools.copy_style import LENGTHS, TONES
from tools.describe_commands import cmd_describe, register

EMPTY = ["P0034", "P0065", "P0166", "P0170", "P0180", "P0182", "P0400", "P0432", "P0462", "P0516", "P0537",
         "P0543"]  # the demo products awaiting copy (data/demo/README.md)
FAITHFUL = ("The Audiora Pulse are wireless over-ear headphones in black with noise cancelling. The battery "
            "lasts 30 hours, they weigh 254 g, and they cost $199.99. Shoppers rate them 4.5 out of 5 across "
            "74 reviews.")


@pytest.fixture(scope="module")
def vocabulary(demo_catalog):
    return catalog_vocabulary(demo_catalog)


@pytest.fixture()
def headphones(demo_catalog):
    return demo_catalog.get("P0001")  # 30 h battery, $199.99, black


def describe(demo_catalog, product_id: str, model=None, **args):
    ctx = ToolContext(ShopDeps(demo_catalog, None, model))
    return write_description(ctx, write_description.validate({"product_id": product_id, **args}))


# --- the checker --------------------------------------------------------------------------------

def test_faithful_description_passes(headphones, vocabulary):
    assert check_grounding(FAITHFUL, headphones, vocabulary) == []


@pytest.mark.parametrize("text, span", [
    ("Battery life reaches 45 h on one charge.", "45 h"),            # invented number
    ("The battery lasts 30 kg.", "30 kg"),                           # right number, wrong unit
    ("A steal at $149.99.", "$149.99"),                              # invented price
    ("Now 20% off.", "20%"),                                         # invented discount
    ("It comes in red with a soft headband.", "red"),                # a colour other products have
    ("They sound better than Sony headphones.", "Sony"),             # an invented brand
    ("Made by the people behind Sonique.", "Sonique"),               # another catalog brand
])
def test_invented_facts_are_caught(headphones, vocabulary, text, span):
    assert span in check_grounding(text, headphones, vocabulary)


def test_numbers_are_compared_by_value(demo_catalog, vocabulary):
    tent = next(p for p in demo_catalog.get_many(["P0279"]))
    assert "2-person" in tent.title.lower()
    assert check_grounding(f"A 2-person tent for {tent.price:,.2f} dollars.", tent, vocabulary) == []
    assert check_grounding("A 3-person tent.", tent, vocabulary) == ["3-person"]


def test_the_demo_descriptions_themselves_pass(demo_catalog, vocabulary):
    """Calibration: the demo's human-style descriptions are grounded by construction; the checker must not
    reject more than a few (the known misses name a colour or material as an ingredient: "green tea")."""
    products = [p for p in demo_catalog.get_many(demo_catalog.ids()) if p.description]
    failed = {p.id: check_grounding(p.description, p, vocabulary) for p in products}
    failed = {k: v for k, v in failed.items() if v}
    assert len(products) == 556
    assert len(failed) <= len(products) * 0.03, failed


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("length", LENGTHS)
def test_templates_are_grounded_for_every_empty_demo_product(demo_catalog, vocabulary, tone, length):
    for product in demo_catalog.get_many(EMPTY):
        text = template_description(product, tone, length)
        assert product.title in text
        assert check_grounding(text, product, vocabulary) == [], (product.id, text)
    sentences = template_description(demo_catalog.get("P0543"), tone, length).count(". ") + 1
    assert sentences <= {"short": 2, "medium": 4, "long": 7}[length]


# --- the tool's flow ----------------------------------------------------------------------------

def test_a_clean_first_draft_is_used(demo_catalog):
    model = ScriptedModel([{"text": FAITHFUL}])
    result = describe(demo_catalog, "P0001", model)
    assert (result["method"], result["description"], result["rejected"]) == ("llm", FAITHFUL, [])
    system = model.calls[0][0]["content"]
    assert "battery life: 30 h" in system and "Use only these facts" in system


def test_an_invented_number_is_regenerated_once(demo_catalog):
    model = ScriptedModel([{"text": "Enjoy 45 h of battery life from these black headphones."},
                           {"text": "Enjoy 30 h of battery life from these black headphones."}])
    result = describe(demo_catalog, "p1", model, tone="playful", length="short")
    assert result["method"] == "llm-retry"
    assert result["description"] == "Enjoy 30 h of battery life from these black headphones."
    assert result["rejected"] == [{"attempt": 1, "unsupported": ["45 h"]}]
    assert "Do not mention: 45 h" in model.calls[1][0]["content"]  # the retry names what was wrong
    model.assert_consumed()


def test_two_bad_drafts_fall_back_to_the_template(demo_catalog, vocabulary):
    model = ScriptedModel([{"text": "Only $99 in red."}, {"text": "Lasts 45 h."}])
    result = describe(demo_catalog, "P0001", model, tone="premium", length="long")
    assert result["method"] == "template"
    assert [r["unsupported"] for r in result["rejected"]] == [["$99", "red"], ["45 h"]]
    assert result["description"] == template_description(demo_catalog.get("P0001"), "premium", "long")
    assert check_grounding(result["description"], demo_catalog.get("P0001"), vocabulary) == []


def test_an_empty_reply_counts_as_a_failed_draft(demo_catalog):
    result = describe(demo_catalog, "P0001", ScriptedModel([{"text": ""}, {"text": FAITHFUL}]))
    assert result["method"] == "llm-retry"
    assert result["rejected"] == [{"attempt": 1, "unsupported": [], "reason": "empty reply"}]


def test_grounded_drafts_that_are_no_description_are_rejected(demo_catalog):
    """What the 270M base model does: repeat the request or chat. Grounded, but not a description."""
    echo = "Write the description of the Audiora Pulse ANC Wireless Over-Ear Headphones."
    chat = "Hi, I'm the assistant. I'm here to help you find a product."
    result = describe(demo_catalog, "P0001", ScriptedModel([{"text": echo}, {"text": chat}]))
    assert result["method"] == "template"
    assert [r.get("reason") for r in result["rejected"]] == ["repeated the request",
                                                             "a chat reply, not a description"]
    off_topic = describe(demo_catalog, "P0001", ScriptedModel([{"text": "A great choice."}, {"text": FAITHFUL}]))
    assert off_topic["rejected"][0]["reason"] == "does not name the product"


def test_a_rambling_draft_is_cut_to_the_length(demo_catalog):
    rambling = " ".join(["These black headphones are wireless."] * 20)
    result = describe(demo_catalog, "P0001", ScriptedModel([{"text": rambling}]), length="short")
    assert result["description"] == "These black headphones are wireless. These black headphones are wireless."


def test_without_a_model_the_template_is_used(demo_catalog):
    result = describe(demo_catalog, "P0516")
    assert result["method"] == "template" and result["reason"] == "no model configured"
    assert "Steepwell Tieguanyin Tea, 50 Tea Bags" in result["description"]


def test_a_model_error_falls_back_to_the_template(demo_catalog):
    result = describe(demo_catalog, "P0516", ScriptedModel([ModelUnavailable("connection refused")]))
    assert result["method"] == "template" and result["reason"] == "model error: connection refused"


def test_unknown_product_is_a_tool_error(demo_catalog):
    with pytest.raises(ToolError, match="no product with id 'P9999'"):
        describe(demo_catalog, "P9999", ScriptedModel([]))


def test_the_tool_does_not_write(demo_catalog):
    describe(demo_catalog, "P0516")
    assert demo_catalog.get("P0516").description == ""


# --- the `describe` command ---------------------------------------------------------------------

def run_describe(*argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    out = io.StringIO()
    code = cmd_describe(parser.parse_args(["describe", *argv]), Console(file=out, width=120, color_system=None))
    return code, out.getvalue()


def scripted(tmp_path, turns: list[dict]) -> str:
    path = tmp_path / "script.json"
    path.write_text(json.dumps({"turns": turns}))
    return str(path)


def test_describe_missing_writes_back_to_a_copy_of_the_catalog(demo_catalog, tmp_path):
    store = CatalogStore.open(tmp_path / "catalog")
    store.upsert(demo_catalog.get_many(["P0001", *EMPTY[:4]]))
    turns = [{"text": "A 5G smartphone with 256 GB of storage and a 50 MP camera."},      # P0034: clean
             {"text": "A laptop with 16 GB RAM."},                                   # P0065: invented…
             {"text": "A laptop with 8 GB RAM and a 512 GB SSD."},                   # …then clean
             {"text": "A 10-piece set."}, {"text": "A 10-piece set, again."}]        # P0166: template
    code, out = run_describe("--missing", "--limit", "3", "--catalog", str(tmp_path / "catalog"),
                             "--scripted", scripted(tmp_path, turns))
    assert code == 0, out
    reopened = CatalogStore.open(tmp_path / "catalog")
    written = {p.id: p.description for p in reopened.get_many(EMPTY[:4])}
    assert written["P0034"] == turns[0]["text"]
    assert written["P0065"] == turns[2]["text"]
    assert written["P0166"] == template_description(reopened.get("P0166"))
    assert written["P0170"] == ""  # beyond --limit
    assert [p.id for p in missing_descriptions(reopened)] == ["P0170"]
    lines = {line.split()[1]: line for line in out.splitlines() if " P0" in line}
    assert "llm " in lines["P0034"] and "llm-retry" in lines["P0065"] and "template" in lines["P0166"]


def test_describe_one_product_prints_it(demo_catalog, tmp_path):
    code, out = run_describe("P0001", "--catalog", str(demo_catalog.location),
                             "--scripted", scripted(tmp_path, [{"text": FAITHFUL}]))
    assert code == 0
    assert "Audiora Pulse" in out and "(P0001, llm)" in out and "30 hours" in out


def test_describe_needs_an_id_or_missing():
    assert run_describe()[0] == 2


# --- the real model -----------------------------------------------------------------------------

@pytest.mark.model
def test_embedded_model_description_is_grounded_whatever_the_method(demo_catalog, vocabulary):
    from agent.models.embedded import embedded_model_path
    from agent.models.llama import LlamaCppModel

    model = LlamaCppModel(embedded_model_path(app.home() / "models"), n_ctx=2048, max_tokens=160)
    result = describe(demo_catalog, "P0170", model, length="short")
    product = demo_catalog.get("P0170")
    assert result["method"] in ("llm", "llm-retry", "template")
    assert result["description"]
    assert check_grounding(result["description"], product, vocabulary) == []

"""Feed readers for platform exports: Google Merchant Center (TSV, RSS/Atom XML) and Shopify product CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from tools.catalog.feeds import FeedError, read_feed
from feedkit import USD, assert_rejected, ids, write


# --- Google Merchant Center: TSV and RSS XML ----------------------------------------------------------

MERCHANT_COLUMNS = ["id", "title", "description", "link", "image_link", "availability", "price", "sale_price",
                    "brand", "gtin", "product_type", "google_product_category", "item_group_id", "color", "size"]


def tsv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_merchant_tsv_groups_item_group_rows_into_one_product_with_variants(tmp_path: Path) -> None:
    rows = [
        # Header spellings vary: the XML "g:" prefix, or words as a spreadsheet shows them.
        [{"id": "g:id", "price": "g:price", "item_group_id": "Item Group ID"}.get(c, c) for c in MERCHANT_COLUMNS],
        ["TEE-R-M", "Cotton Tee - Red - M", "Soft tee", "https://s/tee", "https://s/tee.jpg", "in stock",
         "15.00 USD", "12.00 USD", "Acme", "111", "Apparel > Shirts", "212", "TEE", "Red", "M"],
        ["K1", "Kettle", "Boils", "https://s/k1", "", "out_of_stock", "30.00 EUR", "", "Hotco", "222",
         "", "Home > Kitchen > Kettles", "", "", ""],
        ["TEE-B-L", "Cotton Tee - Blue - L", "Soft tee", "https://s/tee", "", "out of stock", "16.00 USD", "",
         "Acme", "333", "Apparel > Shirts", "212", "TEE", "Blue", "L"],
        ["BAD1", "Lamp", "", "", "", "maybe", "10.00 USD", "", "", "", "", "", "", "", ""],
        ["BAD2", "Short row"],
        ["K1", "Kettle again", "", "", "", "in stock", "31.00 USD", "", "", "", "", "", "", "", ""],
        ["P1", "Plain price", "", "", "", "preorder", "15.00", "", "", "", "", "", "", "", ""],
    ]
    result = read_feed(write(tmp_path, "merchant.tsv", tsv(rows)))
    assert result.format == "merchant"
    assert ids(result) == {"TEE", "K1", "BAD1"}
    assert [line for line, _ in result.products] == [2, 3, 5]
    # P1's price names no currency, and the file has two (USD, EUR): refused, not guessed.
    assert_rejected(result, {6: "too few columns: expected 15, found 2", 7: "duplicate id 'K1' (first on line 3)",
                             8: "price: no currency (the price names none, nor does the file): pass --currency"})
    assert [(n.line, n.reason) for n in result.notes] == [(5, "availability: unknown value 'maybe', read as available")]
    products = {p.id: p for _, p in result.products}
    tee = products["TEE"]
    assert tee.title == "Cotton Tee"
    assert [(v.id, v.options, v.price, v.sale_price, v.available, v.gtin) for v in tee.variants] == [
        ("TEE-R-M", {"color": "Red", "size": "M"}, 15.0, 12.0, True, "111"),
        ("TEE-B-L", {"color": "Blue", "size": "L"}, 16.0, None, False, "333")]
    assert (tee.price, tee.sale_price, tee.available, tee.category) == (15.0, 12.0, True, ["Apparel", "Shirts"])
    assert tee.attributes["color"] == "Red, Blue" and tee.gtin is None  # gtin differs per row: on the variants
    kettle = products["K1"]
    assert (kettle.price, kettle.currency, kettle.available, kettle.url) == (30.0, "EUR", False, "https://s/k1")
    assert kettle.category == ["Home", "Kitchen", "Kettles"]  # google_product_category when no product_type
    assert kettle.gtin == "222"


MERCHANT_XML = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
  <channel>
    <title>Store</title>
    <link>https://store.example</link>
    <item>
      <g:id>X1</g:id>
      <title>Desk Lamp</title>
      <description><![CDATA[<p>Warm light</p>]]></description>
      <link>https://store.example/x1</link>
      <g:price>24.50 USD</g:price>
      <g:availability>in_stock</g:availability>
      <g:product_type>Home &gt; Lighting</g:product_type>
      <g:brand>Lumo</g:brand>
      <g:shipping><g:country>US</g:country><g:price>4.99 USD</g:price></g:shipping>
    </item>
    <item>
      <title>No id here</title>
      <g:price>5.00 USD</g:price>
    </item>
    <item>
      <g:id>X3</g:id>
      <g:title>Rug</g:title>
      <g:price>abc</g:price>
    </item>
    <item><g:id>X4</g:id><g:title>Mat</g:title><g:price>8 GBP</g:price><g:availability>backorder</g:availability></item>
  </channel>
</rss>
"""


def test_merchant_rss_xml_items_with_their_lines(tmp_path: Path) -> None:
    result = read_feed(write(tmp_path, "feed.xml", MERCHANT_XML))
    assert result.format == "merchant"
    assert [(line, p.id) for line, p in result.products] == [(6, "X1"), (26, "X4")]
    assert_rejected(result, {17: "missing id", 21: "price: cannot read a price from 'abc'"})
    lamp = result.products[0][1]
    assert (lamp.title, lamp.description, lamp.price, lamp.brand) == ("Desk Lamp", "Warm light", 24.5, "Lumo")
    assert lamp.category == ["Home", "Lighting"] and lamp.url == "https://store.example/x1"
    assert lamp.shipping == [{"country": "US", "price": "4.99 USD"}]  # structured, not "US:4.99 USD" text
    assert result.products[1][1].currency == "GBP"


def test_merchant_atom_feed_in_latin1_with_g_id_beating_atom_id(tmp_path: Path) -> None:
    xml = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n'
           '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">\n'
           ' <title>Store</title>\n <entry>\n  <id>urn:tag:1</id>\n  <title>Caf\xe9 Mug</title>\n'
           '  <link href="https://s/mug"/>\n  <g:id>M1</g:id>\n  <g:price>4,50 EUR</g:price>\n'
           '  <g:item_group_id>MUGS</g:item_group_id><g:color>White</g:color>\n </entry>\n</feed>\n')
    path = tmp_path / "feed.atom"
    path.write_bytes(xml.encode("latin-1"))
    result = read_feed(path)
    assert [(line, p.id) for line, p in result.products] == [(4, "MUGS")]
    mug = result.products[0][1]
    assert (mug.title, mug.url, mug.price, mug.currency) == ("Caf\xe9 Mug", "https://s/mug", 4.5, "EUR")
    assert [(v.id, v.options) for v in mug.variants] == [("M1", {"color": "White"})]


@pytest.mark.parametrize(("text", "message"), [
    ('<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY a "aaaa">]>\n<rss><channel/></rss>', "DOCTYPE"),
    ("<rss><channel><item><g:id>1</g:id></item></channel>", "not well-formed XML"),
])
def test_dangerous_or_broken_xml_is_a_feed_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        read_feed(write(tmp_path, "feed.xml", text))


# --- Shopify product CSV export -----------------------------------------------------------------------------

SHOPIFY_COLUMNS = ["Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
                   "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Variant SKU", "Variant Grams",
                   "Variant Inventory Qty", "Variant Price", "Variant Compare At Price", "Image Src", "Status"]


def shopify_row(**cells: str) -> list[str]:
    return [cells.get(column.replace(" ", "_").replace("(", "").replace(")", ""), "") for column in SHOPIFY_COLUMNS]


def test_shopify_rows_grouped_by_handle(tmp_path: Path) -> None:
    rows = [
        SHOPIFY_COLUMNS,
        shopify_row(Handle="classic-tee", Title="Classic Tee", Body_HTML="<p>Soft &amp; warm</p><p>Cotton<br>tee</p>",
                    Vendor="Acme", Product_Category="Apparel & Accessories > Clothing", Type="Shirts",
                    Tags="cotton, summer", Option1_Name="Color", Option1_Value="Red", Option2_Name="Size",
                    Option2_Value="M", Variant_SKU="TEE-R-M", Variant_Grams="200", Variant_Inventory_Qty="5",
                    Variant_Price="20.00", Variant_Compare_At_Price="25.00", Image_Src="https://s/tee.jpg",
                    Status="active"),
        shopify_row(Handle="classic-tee", Option1_Value="Blue", Option2_Value="L", Variant_SKU="TEE-B-L",
                    Variant_Inventory_Qty="-2", Variant_Price="22.00"),
        shopify_row(Handle="classic-tee", Image_Src="https://s/tee-back.jpg"),
        shopify_row(Handle="classic-tee", Option1_Value="Green", Option2_Value="S", Variant_Price="abc"),
        shopify_row(Handle="ghost", Option1_Value="Red", Variant_Price="5.00"),
        shopify_row(Handle="mug", Title="Mug", Type="Kitchen", Option1_Name="Title", Option1_Value="Default Title",
                    Variant_Inventory_Qty="3", Variant_Price="9.50", Status="draft"),
        shopify_row(Handle="broken", Title="Broken", Option1_Value="Default Title", Variant_Price="twelve"),
        shopify_row(Handle="mug", Title="Mug again", Variant_Price="1"),
        shopify_row(Handle="tall", Title="Tall", Option1_Value="X", Variant_Price="3", Variant_Inventory_Qty="2.5"),
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    result = read_feed(write(tmp_path, "products_export.csv", out.getvalue()), options=USD)
    assert result.format == "shopify"
    assert ids(result) == {"classic-tee", "mug"}
    assert [line for line, _ in result.products] == [2, 7]
    assert_rejected(result, {5: "Variant Price: cannot read a price from 'abc'",
                             6: "continuation row for Handle 'ghost' without a product row",
                             8: "Variant Price: cannot read a price from 'twelve'",
                             9: "duplicate id 'mug' (first on line 7)",
                             10: "Variant Inventory Qty: not a whole number: '2.5'"})
    products = {p.id: p for _, p in result.products}
    tee = products["classic-tee"]
    assert tee.description == "Soft & warm\n\nCotton\ntee"
    assert tee.url is None  # the export names no shop domain: no link is made up
    linked = read_feed(tmp_path / "products_export.csv", options=replace(USD, shop_url="https://shop.example/"))
    assert {p.id: p.url for _, p in linked.products}["classic-tee"] == "https://shop.example/products/classic-tee"
    assert (tee.title, tee.brand, tee.tags) == ("Classic Tee", "Acme", ["cotton", "summer"])
    assert tee.category == ["Apparel & Accessories", "Clothing"] and tee.attributes["type"] == "Shirts"
    assert (tee.price, tee.sale_price, tee.stock, tee.image_url) == (25.0, 20.0, 5, "https://s/tee.jpg")
    assert [(v.id, v.options, v.price, v.sale_price, v.stock) for v in tee.variants] == [
        ("TEE-R-M", {"color": "Red", "size": "M"}, 25.0, 20.0, 5),
        ("TEE-B-L", {"color": "Blue", "size": "L"}, 22.0, None, 0)]  # oversold (-2) counts as none left
    mug = products["mug"]
    assert (mug.category, mug.variants[0].options, mug.published, mug.listed) == (["Kitchen"], {}, False, False)  # draft
    assert mug.attributes["status"] == "draft"

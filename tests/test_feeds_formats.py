"""Files as merchants have them: semicolons, cp1252 and UTF-16, schema.org JSON-LD, nested JSON (Medusa),
Vendure facets, translated headers, control characters; and what is never guessed (currency, '4.500')."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tools.catalog.feeds import FeedError, ReadOptions, parse_mapping, read_feed
from feedkit import USD, assert_rejected, ids, jsonl, write


def test_semicolon_csv_in_cp1252_from_excel(tmp_path: Path) -> None:
    text = "id;title;price;stock\nB1;Café crème;12,99 €;4\nB2;Thé;3,50 €;0\n"
    (tmp_path / "excel.csv").write_bytes(text.encode("cp1252"))
    result = read_feed(tmp_path / "excel.csv")
    assert (result.format, result.rejections) == ("csv", [])
    assert [(p.id, p.title, p.price, p.currency, p.in_stock) for _, p in result.products] == [
        ("B1", "Café crème", 12.99, "EUR", True), ("B2", "Thé", 3.5, "EUR", False)]


def test_utf16_tab_separated_unicode_text_from_excel(tmp_path: Path) -> None:
    text = "id\ttitle\tprice\tcurrency\nU1\tŽluťoučký kůň\t1 299,00\tCZK\n"
    (tmp_path / "unicode.txt").write_bytes(text.encode("utf-16"))  # with its byte-order mark
    result = read_feed(tmp_path / "unicode.txt", format="csv")
    assert [(p.id, p.title, p.price, p.currency) for _, p in result.products] == [("U1", "Žluťoučký kůň", 1299.0, "CZK")]


def test_delimiter_and_encoding_options_override_detection(tmp_path: Path) -> None:
    # More commas than semicolons in the header: the sniffer reads commas, the merchant knows better.
    (tmp_path / "odd.txt").write_bytes("id;title;price;fit,cut,hem,cuff,yoke\nP1;Crème, brûlée;2.50 USD;slim\n"
                                       .encode("latin-1"))
    sniffed = read_feed(tmp_path / "odd.txt", format="csv", options=ReadOptions(encoding="latin-1"))
    assert sniffed.products == []
    result = read_feed(tmp_path / "odd.txt", format="csv", options=ReadOptions(delimiter=";", encoding="latin-1"))
    assert [(p.id, p.title, p.price, p.attributes) for _, p in result.products] == [
        ("P1", "Crème, brûlée", 2.5, {"fit,cut,hem,cuff,yoke": "slim"})]
    with pytest.raises(FeedError, match="not ascii text .* pass the right --encoding"):
        read_feed(tmp_path / "odd.txt", format="csv", options=ReadOptions(encoding="ascii"))


def test_translated_headers_need_no_map(tmp_path: Path) -> None:
    result = read_feed(write(tmp_path, "artikel.csv", "Artikelnummer;Name;Preis;Währung;Marke;Kategorie\n"
                                                      "A1;Wasserkocher;29,90;EUR;Hotco;Küche\n"))
    assert result.rejections == []
    (product,) = (p for _, p in result.products)
    assert (product.title, product.price, product.currency, product.brand, product.category) == (
        "Wasserkocher", 29.9, "EUR", "Hotco", ["Küche"])


def test_a_header_with_nothing_to_read_names_the_columns_to_map(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match=r"no column is read as id, title, price \(columns: Ref, Bezeichnung X, Kosten\); "
                                        r"name them with --map, e.g. --map 'Ref=id,Bezeichnung X=title,Kosten=price'"):
        read_feed(write(tmp_path, "odd.csv", "Ref,Bezeichnung X,Kosten\n1,Kettle,3 EUR\n"))


def test_control_characters_are_stripped_at_ingest(tmp_path: Path) -> None:
    result = read_feed(write(tmp_path, "c.jsonl", jsonl(
        {"id": "C\x001", "title": "Lamp\x1b[31m red\x85", "price": "5 USD", "description": "Line one\r\nline\ttwo\x07",
         "colour": "bl\x9bue"})))
    (product,) = (p for _, p in result.products)
    assert (product.id, product.title) == ("C1", "Lamp[31m red")
    assert product.description == "Line one\nline\ttwo" and product.attributes["colour"] == "blue"


def test_sale_in_another_currency_and_broken_image_are_warnings(tmp_path: Path) -> None:
    result = read_feed(write(tmp_path, "w.jsonl", jsonl(
        {"id": "W1", "title": "Bike", "price": "EUR 1027", "sale_price": "180 USD",
         "image_link": "https://s/bike 1.jpg", "additional_image_link": "https://s/bike2.jpg"})))
    (product,) = (p for _, p in result.products)
    assert (product.price, product.currency, product.sale_price) == (1027.0, "EUR", None)
    assert (product.image_url, product.images) == ("https://s/bike2.jpg", ["https://s/bike2.jpg"])
    assert [n.reason for n in result.notes] == [
        "sale_price '180 USD' is in USD, the price in EUR: sale price ignored", "broken image URL 'https://s/bike 1.jpg' skipped"]


def test_availability_synonyms_and_unknown_value(tmp_path: Path) -> None:
    values = ["available for order", "on backorder", "http://schema.org/PreOrder", "OutOfStock", "limited availability",
              "ask us"]
    rows = [{"id": f"A{i}", "title": "t", "price": "1 USD", "availability": v} for i, v in enumerate(values)]
    result = read_feed(write(tmp_path, "a.jsonl", jsonl(*rows)))
    products = {p.id: p for _, p in result.products}
    assert [(products[f"A{i}"].in_stock, products[f"A{i}"].backorder) for i in range(6)] == [
        (True, False), (True, True), (True, False), (False, False), (True, False), (True, False)]
    assert [(n.line, n.reason) for n in result.notes] == [(6, "availability: unknown value 'ask us', read as available")]


JSONLD = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "ProductGroup", "productGroupID": "JKT", "name": "Rain Jacket", "description": "Light jacket",
         "brand": {"@type": "Brand", "name": "Nimbus"}, "variesBy": ["https://schema.org/size"],
         "hasVariant": [
             {"@type": "Product", "sku": "JKT-S", "name": "Rain Jacket S", "size": "S", "gtin13": "4006381333931",
              "offers": {"@type": "Offer", "price": "89.00", "priceCurrency": "EUR",
                         "availability": "https://schema.org/OutOfStock"}},
             {"@type": "Product", "sku": "JKT-M", "name": "Rain Jacket M", "size": "M", "mpn": "NJ-M",
              "offers": {"@type": "Offer", "price": "95.00", "priceCurrency": "EUR",
                         "availability": "https://schema.org/InStock"}}]},
        {"@type": "Product", "sku": "MUG", "name": "Mug", "image": [{"@type": "ImageObject", "url": "https://s/m.jpg"}],
         "aggregateRating": {"ratingValue": "4.5", "reviewCount": "12"}, "itemCondition": "https://schema.org/NewCondition",
         "offers": {"@type": "AggregateOffer", "lowPrice": "7.50", "highPrice": "9.00", "priceCurrency": "GBP"}},
        {"@type": "Product", "sku": "NOPRICE", "name": "Ghost"},
        {"@type": "Organization", "name": "Not a product"},
    ],
}


def test_jsonld_product_group_variants_and_aggregate_offer(tmp_path: Path) -> None:
    result = read_feed(write(tmp_path, "products.jsonld", json.dumps(JSONLD, indent=1)))
    assert result.format == "jsonld"
    assert ids(result) == {"JKT", "MUG"}
    assert [r.reason for r in result.rejections] == ["missing price"]
    products = {p.id: p for _, p in result.products}
    jacket = products["JKT"]
    assert (jacket.title, jacket.brand, jacket.price, jacket.currency) == ("Rain Jacket", "Nimbus", 89.0, "EUR")
    assert [(v.id, v.options, v.price, v.available, v.gtin, v.mpn) for v in jacket.variants] == [
        ("JKT-S", {"size": "S"}, 89.0, False, "4006381333931", None), ("JKT-M", {"size": "M"}, 95.0, True, None, "NJ-M")]
    assert jacket.best_offer(in_stock=True).price == 95.0  # the cheap size is sold out
    mug = products["MUG"]
    assert (mug.price, mug.currency, mug.rating, mug.review_count, mug.condition, mug.image_url) == (
        7.5, "GBP", 4.5, 12, "new", "https://s/m.jpg")


def test_jsonld_blocks_of_a_saved_html_page(tmp_path: Path) -> None:
    product = {"@context": "https://schema.org", "@type": "Product", "sku": "P9", "name": "Desk",
               "offers": {"@type": "Offer", "price": 250, "priceCurrency": "USD"}}
    page = f'<html><head>\n<script type="application/ld+json">\n{json.dumps(product)}\n</script></head></html>'
    result = read_feed(write(tmp_path, "desk.html", page))
    assert (result.format, [(line, p.id, p.price) for line, p in result.products]) == ("jsonld", [(3, "P9", 250.0)])


def test_medusa_nested_variant_prices_and_dotted_map(tmp_path: Path) -> None:
    products = {"products": [
        {"title": "Sweatshirt", "handle": "sweatshirt", "description": "Cotton",
         "variants": [{"title": "S", "sku": "SW-S", "options": [{"option": "Size", "value": "S"}],
                       "prices": [{"amount": 10, "currency_code": "eur"}, {"amount": 15, "currency_code": "usd"}],
                       "inventory_quantity": 0},
                      {"title": "M", "sku": "SW-M", "options": {"Size": "M"},
                       "prices": [{"amount": 12, "currency_code": "eur"}, {"amount": 17, "currency_code": "usd"}],
                       "inventory_quantity": 4}]}]}
    path = write(tmp_path, "seed.json", json.dumps(products, indent=1))
    refused = read_feed(path)
    assert_rejected(refused, {3: "variants[0]: prices in several currencies (EUR, USD): pass --currency"})
    result = read_feed(path, options=ReadOptions(currency="EUR"))
    (sweat,) = (p for _, p in result.products)
    assert (sweat.id, sweat.price, sweat.currency) == ("sweatshirt", 10.0, "EUR")
    assert [(v.id, v.options, v.price, v.stock) for v in sweat.variants] == [
        ("SW-S", {"size": "S"}, 10.0, 0), ("SW-M", {"size": "M"}, 12.0, 4)]
    assert sweat.best_offer(in_stock=True).variant.id == "SW-M"
    nested = write(tmp_path, "n.jsonl", jsonl({"ref": "N1", "label": {"en": "Kettle"},
                                               "offers": [{"price": "20", "priceCurrency": "CHF"}]}))
    mapped = read_feed(nested, mapping=parse_mapping("ref=id,label.en=title,offers.price=price,"
                                                     "offers.0.priceCurrency=currency"))
    assert [(p.id, p.title, p.price, p.currency) for _, p in mapped.products] == [("N1", "Kettle", 20.0, "CHF")]


VENDURE = ("name,slug,description,assets,facets,optionGroups,optionValues,sku,price,taxCategory,stockOnHand,"
           "trackInventory,variantAssets,variantFacets\n"
           "Laptop,laptop,A laptop,laptop.jpg,brand:Apple|category:Electronics|category:Computers,"
           "screen size|RAM,13 inch|8GB,L2201308,1299.00,standard,100,false,,\n"
           ",,,,,,15 inch|16GB,L2201516,1699.00,standard,0,false,,color:Silver\n"
           "Orphanless,orphan,,,,,,O1,abc,standard,1,false,,\n")


def test_vendure_variants_and_facets(tmp_path: Path) -> None:
    result = read_feed(write(tmp_path, "products.csv", VENDURE), options=USD)
    assert result.format == "vendure"
    assert_rejected(result, {4: "price: cannot read a price from 'abc'", })
    (laptop,) = (p for _, p in result.products if p.id == "laptop")
    assert (laptop.brand, laptop.category, laptop.attributes["color"], laptop.price) == (
        "Apple", ["Electronics", "Computers"], "Silver", 1299.0)
    assert [(v.id, v.options, v.stock) for v in laptop.variants] == [
        ("L2201308", {"screen size": "13 inch", "ram": "8GB"}, 100), ("L2201516", {"screen size": "15 inch", "ram": "16GB"}, 0)]


def test_shopify_currency_from_the_price_backorder_and_unpublished(tmp_path: Path) -> None:
    columns = ["Handle", "Title", "Published", "Option1 Name", "Option1 Value", "Variant SKU", "Variant Inventory Qty",
               "Variant Inventory Policy", "Variant Price", "Variant Barcode", "Status"]
    rows = [["bracelet", "Bracelet", "TRUE", "Size", "S", "BR-S", "0", "deny", "€55.00", "111", "active"],
            ["bracelet", "", "", "", "L", "BR-L", "4", "deny", "€69.99", "222", ""],
            ["ring", "Ring", "TRUE", "Title", "Default Title", "RG", "0", "continue", "€20.00", "", "active"],
            ["hidden", "Hidden", "FALSE", "Title", "Default Title", "HD", "3", "deny", "€9.00", "", "active"]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([columns, *rows])
    result = read_feed(write(tmp_path, "products_export.csv", out.getvalue()))
    products = {p.id: p for _, p in result.products}
    bracelet = products["bracelet"]
    assert (bracelet.currency, bracelet.price, [v.gtin for v in bracelet.variants]) == ("EUR", 55.0, ["111", "222"])
    offer = bracelet.best_offer(max_price=60, in_stock=True)
    assert offer is None and bracelet.best_offer(in_stock=True).price == 69.99  # the $55 one is sold out
    assert (products["ring"].in_stock, products["ring"].variants[0].backorder) == (True, True)  # policy continue
    assert (products["hidden"].published, products["hidden"].listed) == (False, False)
    with_option = read_feed(write(tmp_path, "plain.csv", "Handle,Title,Variant Price\nh,H,6.000\n"),
                            options=ReadOptions(currency="EUR", decimal=","))
    assert [(p.price, p.currency) for _, p in with_option.products] == [(6000.0, "EUR")]


def test_merchant_group_title_is_the_first_item_without_its_variant_values(tmp_path: Path) -> None:
    rows = [["id", "title", "price", "item_group_id", "color", "size", "gtin", "mpn", "availability", "shipping",
             "condition", "sale_price_effective_date"],
            ["D1", "Diesel Men's Jeans - Blue - 32", "1.027 EUR", "DSL", "Blue", "32", "0001", "M1", "in stock",
             "DE::Standard:0.00 EUR,AT::Express:9.90 EUR", "new", "2026-11-01T00:00+0100/2026-11-30T23:59+0100"],
            ["D2", "Diesel Men's Jeans - Black - 34", "999,50 EUR", "DSL", "Black", "34", "0002", "M2", "in stock",
             "DE::Standard:0.00 EUR,AT::Express:9.90 EUR", "new", "2026-11-01T00:00+0100/2026-11-30T23:59+0100"]]
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    result = read_feed(write(tmp_path, "feed.tsv", out.getvalue()))
    (jeans,) = (p for _, p in result.products)
    assert jeans.title == "Diesel Men's Jeans"
    assert jeans.shipping == [{"country": "DE", "service": "Standard", "price": "0.00 EUR"},
                              {"country": "AT", "service": "Express", "price": "9.90 EUR"}]
    assert (jeans.condition, jeans.sale_dates) == ("new", "2026-11-01T00:00+0100/2026-11-30T23:59+0100")
    # "999,50" settles the file's decimal mark: "1.027" is a thousand and twenty-seven euros.
    assert [(v.id, v.price, v.gtin, v.mpn) for v in jeans.variants] == [("D1", 1027.0, "0001", "M1"),
                                                                          ("D2", 999.5, "0002", "M2")]

"""WooCommerce and Magento 2 exports, in their own column layouts: products, variants, prices, flags."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tools.catalog.feeds import ReadOptions, read_feed
from tools.catalog.feeds_magento import categories
from feedkit import assert_rejected, ids, write

EUR = ReadOptions(currency="EUR")

# WooCommerce's exporter writes these columns in this order (a subset; the rest are bookkeeping).
WOO_COLUMNS = ["ID", "Type", "SKU", "Name", "Published", "Is featured?", "Visibility in catalog", "Short description",
               "Description", "Date sale price starts", "Date sale price ends", "Tax status", "In stock?", "Stock",
               "Backorders allowed?", "Sale price", "Regular price", "Categories", "Tags", "Images", "Parent",
               "Grouped products", "External URL", "Attribute 1 name", "Attribute 1 value(s)", "Attribute 1 visible",
               "Attribute 1 global"]


def table(columns: list[str], rows: list[dict[str, str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[row.get(column, "") for column in columns] for row in rows])
    return out.getvalue()


WOO_ROWS = [
    {"ID": "10", "Type": "simple", "SKU": "woo-beanie", "Name": "Beanie", "Published": "1",
     "Visibility in catalog": "visible", "Description": "<p>Warm <b>wool</b> beanie</p>", "In stock?": "1",
     "Stock": "7", "Sale price": "18", "Regular price": "20", "Categories": "Clothing > Accessories, Winter",
     "Tags": "wool, warm", "Images": "https://s/beanie.jpg, https://s/beanie-2.jpg"},
    {"ID": "11", "Type": "variable", "SKU": "woo-hoodie", "Name": "Hoodie", "Published": "1",
     "Visibility in catalog": "visible", "Description": "Zip hoodie", "In stock?": "1",
     "Categories": "Clothing > Hoodies", "Attribute 1 name": "Color", "Attribute 1 value(s)": "Blue, Red"},
    {"ID": "12", "Type": "variation", "SKU": "woo-hoodie-blue", "Name": "Hoodie - Blue", "Published": "1",
     "In stock?": "0", "Stock": "0", "Regular price": "45", "Parent": "woo-hoodie",
     "Attribute 1 name": "Color", "Attribute 1 value(s)": "Blue"},
    {"ID": "13", "Type": "variation", "SKU": "woo-hoodie-red", "Name": "Hoodie - Red", "Published": "1",
     "In stock?": "1", "Stock": "3", "Regular price": "42", "Sale price": "40", "Parent": "id:11",
     "Attribute 1 name": "Color", "Attribute 1 value(s)": "Red"},
    {"ID": "14", "Type": "grouped", "SKU": "woo-set", "Name": "Winter set", "Published": "1",
     "Grouped products": "woo-beanie, woo-scarf"},
    {"ID": "15", "Type": "simple", "SKU": "woo-scarf", "Name": "Scarf", "Published": "-1", "In stock?": "1",
     "Regular price": "15", "Categories": "Clothing > Accessories"},
    {"ID": "16", "Type": "simple", "SKU": "woo-secret", "Name": "Secret sock", "Published": "1",
     "Visibility in catalog": "hidden", "In stock?": "1", "Regular price": "5"},
    {"ID": "17", "Type": "variable", "SKU": "woo-empty", "Name": "Empty variable", "Published": "1"},
    {"ID": "18", "Type": "variation", "SKU": "woo-orphan", "Name": "Orphan", "Parent": "id:99", "Regular price": "1"},
    {"ID": "19", "Type": "simple", "SKU": "woo-mug", "Name": "Mug", "Published": "1", "In stock?": "backorder",
     "Backorders allowed?": "notify", "Stock": "0", "Regular price": "9"},
]


def test_woocommerce_variable_grouped_draft_and_hidden(tmp_path: Path) -> None:
    result = read_feed(write(tmp_path, "wc-product-export.csv", table(WOO_COLUMNS, WOO_ROWS)), options=EUR)
    assert result.format == "woocommerce"
    assert ids(result) == {"woo-beanie", "woo-hoodie", "woo-set", "woo-scarf", "woo-secret", "woo-mug"}
    assert_rejected(result, {9: "variable product without a valid variation row",
                             10: "variation of unknown variable product 'id:99'"})
    products = {p.id: p for _, p in result.products}
    beanie = products["woo-beanie"]
    assert (beanie.price, beanie.sale_price, beanie.currency, beanie.stock, beanie.in_stock) == (20.0, 18.0, "EUR", 7, True)
    assert beanie.category == ["Clothing", "Accessories"] and beanie.attributes["categories"] == "Clothing > Accessories, Winter"
    assert beanie.images == ["https://s/beanie.jpg", "https://s/beanie-2.jpg"] and beanie.description == "Warm wool beanie"
    hoodie = products["woo-hoodie"]  # variations under their parent, not products of category "variation"
    assert [(v.id, v.options, v.price, v.sale_price, v.stock, v.available) for v in hoodie.variants] == [
        ("woo-hoodie-blue", {"color": "Blue"}, 45.0, None, 0, False),
        ("woo-hoodie-red", {"color": "Red"}, 42.0, 40.0, 3, True)]
    assert (hoodie.price, hoodie.sale_price, hoodie.in_stock, hoodie.category) == (42.0, 40.0, True, ["Clothing", "Hoodies"])
    group = products["woo-set"]
    assert [(v.id, v.price) for v in group.variants] == [("woo-beanie", 20.0), ("woo-scarf", 15.0)]
    assert (group.price, group.listed) == (15.0, True)
    assert (products["woo-scarf"].published, products["woo-scarf"].listed) == (False, False)  # -1: a draft
    assert (products["woo-secret"].visibility, products["woo-secret"].listed) == ("hidden", False)
    mug = products["woo-mug"]  # none in stock, on backorder: available to order, not out of stock
    assert (mug.backorder, mug.in_stock) == (True, True)


def test_portuguese_woocommerce_header_and_european_integer_prices(tmp_path: Path) -> None:
    columns = ["ID", "Tipo", "SKU", "Nome", "Publicado", "Em estoque?", "Estoque", "Preço promocional", "Preço",
               "Categorias", "Imagens"]
    rows = [{"ID": "1", "Tipo": "simple", "SKU": "pt-sofa", "Nome": "Sofá", "Publicado": "1", "Em estoque?": "1",
             "Estoque": "2", "Preço": "4.500 €", "Categorias": "Casa > Sala"},
            {"ID": "2", "Tipo": "simple", "SKU": "pt-mesa", "Nome": "Mesa", "Publicado": "1", "Em estoque?": "1",
             "Preço promocional": "1.199,90 €", "Preço": "1.250,00 €", "Categorias": "Casa"}]
    result = read_feed(write(tmp_path, "produtos.csv", table(columns, rows, ";")))
    assert result.format == "woocommerce" and result.rejections == []
    assert (result.options.currency, result.options.decimal) == ("EUR", ",")  # settled from the file itself
    products = {p.id: p for _, p in result.products}
    assert (products["pt-sofa"].title, products["pt-sofa"].price, products["pt-sofa"].currency) == ("Sofá", 4500.0, "EUR")
    assert (products["pt-mesa"].price, products["pt-mesa"].sale_price) == (1250.0, 1199.9)


def test_european_integer_price_alone_is_refused_then_settled_by_decimal(tmp_path: Path) -> None:
    path = write(tmp_path, "wc.csv", table(WOO_COLUMNS, [
        {"ID": "1", "Type": "simple", "SKU": "a", "Name": "Sofa", "Published": "1", "Regular price": "4.500 €"},
        {"ID": "2", "Type": "simple", "SKU": "b", "Name": "Lamp", "Published": "1", "Regular price": "45 €"}]))
    result = read_feed(path)
    assert ids(result) == {"b"}
    assert_rejected(result, {2: "price: ambiguous price '4.500 €'"})
    assert "pass --decimal" in result.rejections[0].reason
    settled = read_feed(path, options=ReadOptions(decimal=","))
    assert {p.id: p.price for _, p in settled.products} == {"a": 4500.0, "b": 45.0}


MAGENTO_COLUMNS = ["sku", "store_view_code", "attribute_set_code", "product_type", "categories", "product_websites",
                   "name", "description", "short_description", "weight", "product_online", "tax_class_name",
                   "visibility", "price", "special_price", "url_key", "base_image", "additional_images", "qty",
                   "is_in_stock", "allow_backorders", "additional_attributes", "configurable_variations",
                   "configurable_variation_labels"]
CATS = "Default Category/Men/Tops/Hoodies & Sweatshirts,Default Category/Collections/Eco, Friendly,Default Category/Men"
MAGENTO_ROWS = [
    {"sku": "MH01-XS-Black", "attribute_set_code": "Top", "product_type": "simple", "categories": CATS,
     "product_websites": "base", "name": "Chaz Kangeroo Hoodie-XS-Black", "product_online": "1",
     "visibility": "Not Visible Individually", "price": "52.00", "qty": "0", "is_in_stock": "0",
     "additional_attributes": "color=Black,size=XS"},
    {"sku": "MH01-S-Gray", "attribute_set_code": "Top", "product_type": "simple", "categories": CATS,
     "product_websites": "base", "name": "Chaz Kangeroo Hoodie-S-Gray", "product_online": "1",
     "visibility": "Not Visible Individually", "price": "54.00", "special_price": "49.00", "qty": "12",
     "is_in_stock": "1", "additional_attributes": "color=Gray,size=S", "base_image": "/m/h/mh01-gray.jpg"},
    {"sku": "MH01", "attribute_set_code": "Top", "product_type": "configurable", "categories": CATS,
     "product_websites": "base", "name": "Chaz Kangeroo Hoodie", "description": "<p>Ideal for cold-weather training.</p>",
     "product_online": "1", "visibility": "Catalog, Search", "price": "52.00", "url_key": "chaz-kangeroo-hoodie",
     "base_image": "/m/h/mh01-black_main.jpg", "additional_images": "/m/h/mh01-black_alt1.jpg,/m/h/mh01-black_back.jpg",
     "qty": "0", "is_in_stock": "0", "additional_attributes": "material=Fleece,eco_collection=0",
     "configurable_variations": "sku=MH01-XS-Black,size=XS,color=Black|sku=MH01-S-Gray,size=S,color=Gray|sku=NOPE,size=M",
     "configurable_variation_labels": "size=Size,color=Color"},
    {"sku": "24-MB01", "attribute_set_code": "Bag", "product_type": "simple", "categories": "Default Category/Gear/Bags",
     "product_websites": "base", "name": "Joust Duffle Bag", "product_online": "2", "visibility": "Catalog, Search",
     "price": "34.00", "qty": "100", "is_in_stock": "1"},
    {"sku": "24-MB02", "attribute_set_code": "Bag", "product_type": "simple", "categories": "Default Category/Gear/Bags",
     "product_websites": "base", "name": "Fusion Backpack", "product_online": "1", "visibility": "Catalog, Search",
     "price": "59.00", "qty": "0", "is_in_stock": "1", "allow_backorders": "1"},
    {"sku": "24-MB02", "store_view_code": "de", "name": "Fusion Rucksack"},
]


def test_magento_configurable_with_children_categories_and_flags(tmp_path: Path) -> None:
    result = read_feed(write(tmp_path, "catalog_product.csv", table(MAGENTO_COLUMNS, MAGENTO_ROWS)), options=EUR)
    assert result.format == "magento"
    assert ids(result) == {"MH01", "24-MB01", "24-MB02"}  # children are variants, not products
    assert_rejected(result, {4: "configurable_variations names unknown sku 'NOPE'"})
    products = {p.id: p for _, p in result.products}
    hoodie = products["MH01"]
    assert hoodie.category == ["Men", "Tops", "Hoodies & Sweatshirts"]
    assert hoodie.attributes["categories"] == "Men > Tops > Hoodies & Sweatshirts; Collections > Eco, Friendly; Men"
    assert [(v.id, v.options, v.price, v.sale_price, v.stock, v.available) for v in hoodie.variants] == [
        ("MH01-XS-Black", {"size": "XS", "color": "Black"}, 52.0, None, 0, False),
        ("MH01-S-Gray", {"size": "S", "color": "Gray"}, 54.0, 49.0, 12, True)]
    # The configurable's own is_in_stock=0 is a roll-up; the in-stock child makes it available.
    assert (hoodie.in_stock, hoodie.price, hoodie.sale_price, hoodie.listed) == (True, 54.0, 49.0, True)
    assert hoodie.images == ["/m/h/mh01-black_main.jpg", "/m/h/mh01-black_alt1.jpg", "/m/h/mh01-black_back.jpg"]
    assert hoodie.attributes["material"] == "Fleece" and hoodie.description == "Ideal for cold-weather training."
    assert (products["24-MB01"].published, products["24-MB01"].listed) == (False, False)  # product_online 2
    backpack = products["24-MB02"]
    assert (backpack.title, backpack.backorder, backpack.in_stock) == ("Fusion Backpack", True, True)


def test_magento_category_paths_split_only_between_paths() -> None:
    assert categories(CATS) == [["Men", "Tops", "Hoodies & Sweatshirts"], ["Collections", "Eco, Friendly"], ["Men"]]
    assert categories("") == [] and categories("Gear") == [["Gear"]]

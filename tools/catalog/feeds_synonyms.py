"""Column names in other languages (WooCommerce and spreadsheet exports in pt, es, de, fr, it, nl) read as
the English names the readers know, so a translated header needs no --map."""

from __future__ import annotations

from typing import Any

__all__ = ["header_synonyms", "translate_header"]

# English target -> spellings. Targets are WooCommerce's export names where WooCommerce has one (they are
# also aliases of our own fields: "Regular price" is price, "Name" is title).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "SKU": ("artikelnummer", "art.-nr.", "artnr", "referência", "referencia", "référence", "riferimento",
            "código", "codigo", "codice", "artikelcode"),
    "Name": ("nome", "nombre", "produktname", "bezeichnung", "nom", "naam", "nome do produto", "titel", "título",
             "titulo", "titre", "titolo"),
    "Regular price": ("preço", "preco", "preço normal", "preco normal", "precio", "precio normal",
                      "precio regular", "preis", "regulärer preis", "prix", "prix normal", "prezzo",
                      "prezzo di listino", "prijs", "reguliere prijs"),
    "Sale price": ("preço promocional", "preco promocional", "precio rebajado", "precio de oferta",
                   "angebotspreis", "sonderpreis", "prix promo", "prix soldé", "prezzo in offerta",
                   "prezzo scontato", "actieprijs", "aanbiedingsprijs"),
    "Description": ("descrição", "descricao", "descripción", "descripcion", "beschreibung", "descrizione",
                    "beschrijving", "omschrijving"),
    "Short description": ("descrição curta", "descricao curta", "descripción corta", "kurzbeschreibung",
                          "description courte", "descrizione breve", "korte beschrijving"),
    "Categories": ("categorias", "categoria", "categorías", "categoría", "kategorien", "kategorie",
                   "catégories", "catégorie", "categorie", "categorieën"),
    "Tags": ("etiquetas", "schlagwörter", "étiquettes", "tag"),
    "Images": ("imagens", "imagem", "imágenes", "imagen", "bilder", "bild", "immagini", "immagine",
               "afbeeldingen", "afbeelding"),
    "Stock": ("estoque", "existencias", "inventario", "lagerbestand", "bestand", "quantité", "giacenza",
              "quantità", "voorraad"),
    "In stock?": ("em estoque?", "¿en stock?", "en stock?", "auf lager?", "en stock ?", "disponibile?",
                  "op voorraad?"),
    "Published": ("publicado", "veröffentlicht", "publié", "pubblicato", "gepubliceerd"),
    "Visibility in catalog": ("visibilidade no catálogo", "visibilidad en el catálogo", "sichtbarkeit im katalog",
                              "visibilité dans le catalogue", "visibilità nel catalogo", "zichtbaarheid in catalogus"),
    "Type": ("tipo", "typ", "soort"),
    "Parent": ("ascendente", "pai", "superior", "übergeordnetes produkt", "parent", "genitore", "hoofd"),
    "Brand": ("marca", "marke", "hersteller", "marque", "merk"),
    "Currency": ("moeda", "moneda", "währung", "devise", "valuta"),
    "Availability": ("disponibilidade", "disponibilidad", "verfügbarkeit", "disponibilité", "disponibilità",
                     "beschikbaarheid"),
}
_TO_ENGLISH = {spelling: target for target, spellings in _SYNONYMS.items() for spelling in spellings}
_ATTRIBUTE = (("nome do atributo ", "Attribute {} name"), ("valor(es) do atributo ", "Attribute {} value(s)"),
              ("nombre del atributo ", "Attribute {} name"), ("valor(es) del atributo ", "Attribute {} value(s)"),
              ("attribut ", "Attribute {} name"))


def translate_header(names: list[str]) -> list[str]:
    """Each column name in English where the table knows it; an English column already there wins."""
    present = {name.strip().lower() for name in names}
    out = []
    for name in names:
        english = _english(name)
        out.append(english if english and english.lower() not in present else name)
    return out


def header_synonyms(record: dict[str, Any]) -> dict[str, Any]:
    """The record with translated column names (see translate_header)."""
    keys = list(record)
    return dict(zip(translate_header(keys), record.values()))


def _english(name: str) -> str | None:
    key = " ".join(name.strip().lower().split())
    if key in _TO_ENGLISH:
        return _TO_ENGLISH[key]
    for prefix, pattern in _ATTRIBUTE:
        if key.startswith(prefix) and key[len(prefix):].isdigit():
            return pattern.format(key[len(prefix):])
    return None

"""Review writing: the noun and aspects a product's reviews talk about, and the reviews themselves."""

from __future__ import annotations

from .text import ASPECTS, CLOSERS, FIRST_NAMES, GENERIC, OPENERS


PLURAL_NOUNS = {"headphones", "earbuds", "shoes", "sheets", "blocks", "diapers", "wipes", "pull-ups", "loppers",
                "pruners", "shears"}


def review_profile(path, attrs, noun, aspects):
    noun, aspects = _review_profile(path, attrs, noun, aspects)
    drop = set()
    if attrs.get("noise_cancelling") == "no":
        drop.add("anc")
    if attrs.get("wireless") == "no":
        drop |= {"connectivity", "battery"}
    return noun, [a for a in aspects if a not in drop]


def _review_profile(path, attrs, noun, aspects):
    """Noun and aspects for one product, so a kettle's reviews talk about pouring, not crema."""
    typ = attrs.get("type", "")
    if path == "Electronics > Headphones" and typ in ("in-ear", "open-ear"):
        return "earbuds", [a if a != "comfort_head" else "comfort_buds" for a in aspects]
    if path == "Home > Kitchen > Coffee Makers":
        return {"espresso machine": ("espresso machine", aspects), "drip coffee maker": ("coffee maker", aspects),
                "burr grinder": ("grinder", ["grinder", "cleaning", "build_elec"]),
                "gooseneck kettle": ("kettle", ["kettle", "build_elec"]),
                "french press": ("press", ["coffee", "cleaning", "build"]),
                "pour-over dripper": ("dripper", ["coffee", "cleaning", "build"])}.get(typ, (noun, aspects))
    if path == "Electronics > Gaming Accessories":
        if "switches" in attrs:
            return "keyboard", ["gaming", "build_elec", "keyboard"]
        if "dpi" in attrs:
            return "mouse", ["gaming", "build_elec", "comfort_hand", "connectivity"]
        if "microphone" in attrs:
            return "headset", ["sound", "comfort_head", "battery", "build_elec"]
        return "controller", ["gaming", "comfort_hand", "battery", "connectivity"]
    if path == "Home > Bedding":
        if "thread_count" in attrs or "cotton" in attrs.get("material", "") or attrs.get("material") in ("linen", "bamboo lyocell", "microfiber"):
            return "sheets", aspects
        if "fill" in attrs and "warmth" in attrs:
            return "duvet", ["softness", "washing", "warmth"]
        if "firmness" in attrs:
            return "pillow", ["softness", "washing"]
        return "topper", ["softness", "fit_bed"]
    if path == "Sports > Yoga":
        if "thickness" in attrs:
            return "mat", aspects
        if attrs.get("quantity") == "2":
            return "blocks", ["build"]
        return ("strap" if "length" in attrs else "bolster"), ["build"]
    if path == "Sports > Hydration":
        if "includes" in attrs:
            return "vest", ["carry", "build"]
        if attrs.get("insulated") == "yes":
            return "bottle", aspects
        return ("bottle" if "insulated" in attrs else "flask"), ["build", "cleaning"]
    if path == "Beauty > Skincare":
        return typ or noun, aspects
    if path == "Baby > Diapers & Wipes":
        return ("wipes" if typ == "baby wipes" else "diapers"), aspects
    if path == "Garden > Tools":
        return (typ.split()[-1] if typ else noun), aspects
    if path == "Home > Kitchen > Cookware":
        return ("set" if "pieces" in attrs else ("dutch oven" if "Dutch" in attrs.get("_title", "") else "pan")), aspects
    return noun, aspects


def lc_first(s: str) -> str:
    return s[0].lower() + s[1:]


def make_reviews(r, brand, noun, aspects, quality, color):
    n = r.randint(2, 5)
    out = []
    used = set()
    for _ in range(n):
        rating = int(min(5, max(1, round(r.gauss(quality, 0.95)))))
        this = ("these " if noun in PLURAL_NOUNS else "this ") + noun
        fmt = {"noun": noun, "brand": brand, "color": color or "this color", "this": this, "This": this[0].upper() + this[1:],
               "is": "are" if noun in PLURAL_NOUNS else "is"}
        parts = [r.choice(OPENERS[rating])]
        asp = r.sample(aspects, min(len(aspects), 2 if rating in (3, 4) else r.randint(1, 2)))
        if rating in (3, 4) and len(asp) == 1:
            asp = asp * 2  # praise and complaint about the same thing
        if rating == 5:
            parts += [r.choice(ASPECTS[a][0]) for a in asp]
        elif rating == 4:
            parts.append(r.choice(ASPECTS[asp[0]][0]))
            if len(asp) > 1:
                parts.append("Only gripe: " + lc_first(r.choice(ASPECTS[asp[1]][1])))
        elif rating == 3:
            parts.append(r.choice(ASPECTS[asp[0]][0]))
            if len(asp) > 1:
                parts.append("But " + lc_first(r.choice(ASPECTS[asp[1]][1])))
        else:
            parts += [r.choice(ASPECTS[a][1]) for a in asp]
        if r.random() < 0.45:
            g = r.choice(list(GENERIC))
            parts.append(r.choice(GENERIC[g][0 if rating >= 4 else 1] if rating != 3 else r.choice(GENERIC[g])))
        if color and r.random() < 0.15:
            parts.append(r.choice(["The {color} looks even nicer in person.", "Went with {color} and no regrets.",
                                   "The {color} is exactly as pictured."]))
        parts.append(r.choice(CLOSERS[rating]))
        text = " ".join(p.format(**fmt) for p in parts if p)
        if text in used:
            text += " " + r.choice(["Overall fine.", "That's all.", "Just my two cents."])
        used.add(text)
        month = r.randint(1, 12)
        day = r.randint(1, 28)
        out.append({"rating": rating, "text": text, "date": f"2025-{month:02d}-{day:02d}", "author": r.choice(FIRST_NAMES)})
    out.sort(key=lambda x: x["date"], reverse=True)
    return out

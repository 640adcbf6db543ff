"""Product makers for Home (kitchen, furniture, bedding), Office and Garden."""

from __future__ import annotations

from .helpers import band, yn


# each make() returns (title, attributes, description sentences, price_tier 0..1, extra tags)


def mk_coffee_makers(r, brand):
    kind = r.choice(["espresso", "espresso", "espresso", "drip", "grinder", "grinder", "kettle", "kettle", "french press", "pour-over"])
    model = r.choice(["Barista", "Crema", "Morning", "Ritual", "Aroma", "Brewline", "Daybreak", "Origin"])
    color = r.choice(["stainless steel", "black", "white", "cream", "matte black"])
    if kind == "espresso":
        bar = r.choice([9, 15, 15, 20])
        tank = r.choice(["1.5 L", "1.8 L", "2 L"])
        milk = r.random() < 0.7
        grinder = r.random() < 0.35
        a = {"type": "espresso machine", "pressure": f"{bar} bar", "capacity": tank, "milk_frother": yn(milk),
             "built_in_grinder": yn(grinder), "color": color}
        title = f"{brand} {model} {'Bean-to-Cup ' if grinder else ''}Espresso Machine{' with Milk Frother' if milk else ''}"
        d = [f"The {model} espresso machine brews at {bar} bar and has a {tank} removable water tank."]
        if milk:
            d.append("A steam wand froths milk for lattes and cappuccinos.")
        if grinder:
            d.append("A built-in conical burr grinder grinds fresh beans for every shot.")
        t = 0.25 + 0.15 * milk + 0.45 * grinder + r.uniform(0, 0.2)
        lo, hi = 89, 899
    elif kind == "drip":
        cups = r.choice([8, 10, 12, 14])
        a = {"type": "drip coffee maker", "capacity": f"{cups} cups", "programmable": yn(r.random() < 0.7),
             "carafe": r.choice(["glass", "thermal"]), "color": color}
        title = f"{brand} {model} {cups}-Cup Programmable Drip Coffee Maker, {a['carafe'].title()} Carafe"
        d = [f"Brews up to {cups} cups into a {a['carafe']} carafe.",
             "Set the timer the night before and wake up to fresh coffee." if a["programmable"] == "yes" else "Simple one-button operation."]
        t = 0.2 + r.uniform(0, 0.4)
        lo, hi = 29, 229
    elif kind == "grinder":
        settings = r.choice([18, 31, 40, 60])
        a = {"type": "burr grinder", "burrs": r.choice(["conical steel", "flat steel", "ceramic conical"]),
             "grind_settings": str(settings), "capacity": r.choice(["250 g", "300 g", "350 g"]), "color": color}
        title = f"{brand} {model} Electric {a['burrs'].title()} Burr Coffee Grinder"
        d = [f"A burr grinder with {a['burrs']} burrs and {settings} grind settings, from espresso-fine to coarse for French press.",
             f"The bean hopper holds {a['capacity']}."]
        t = 0.2 + settings / 120 + r.uniform(0, 0.2)
        lo, hi = 39, 399
    elif kind == "kettle":
        cap = r.choice(["0.9 L", "1 L", "1.2 L"])
        tc = r.random() < 0.7
        a = {"type": "gooseneck kettle", "capacity": cap, "temperature_control": yn(tc), "material": "stainless steel", "color": color}
        title = f"{brand} {model} Electric Gooseneck Kettle{' with Temperature Control' if tc else ''}, {cap}"
        d = [f"A {cap} electric gooseneck kettle with a precise spout for pour-over coffee and tea."]
        if tc:
            d.append("Variable temperature control lets you hold water at the right heat for green tea or light roasts.")
        t = 0.2 + 0.4 * tc + r.uniform(0, 0.2)
        lo, hi = 29, 189
    elif kind == "french press":
        cap = r.choice(["0.6 L", "1 L", "1.5 L"])
        mat = r.choice(["borosilicate glass", "stainless steel"])
        a = {"type": "french press", "capacity": cap, "material": mat, "color": color}
        title = f"{brand} {model} French Press Coffee Maker, {cap}"
        d = [f"A {cap} French press made from {mat} with a fine mesh filter for full-bodied coffee."]
        t = r.uniform(0, 0.5)
        lo, hi = 19, 69
    else:
        mat = r.choice(["ceramic", "glass", "stainless steel"])
        a = {"type": "pour-over dripper", "material": mat, "capacity": r.choice(["1-2 cups", "1-4 cups"]), "color": color}
        title = f"{brand} {model} {mat.title()} Pour-Over Coffee Dripper"
        d = [f"A {mat} pour-over dripper that brews {a['capacity']} at a time.", "Works with standard cone paper filters."]
        t = r.uniform(0, 0.5)
        lo, hi = 15, 59
    return title, a, d, band(lo, hi, t, r), ["coffee", a["type"]]


def mk_cookware(r, brand):
    kind = r.choice(["skillet", "skillet", "dutch oven", "set", "saucepan", "wok"])
    mat = r.choice(["cast iron", "stainless steel", "nonstick ceramic", "carbon steel", "hard-anodized aluminium"])
    if kind == "dutch oven":
        mat = r.choice(["enameled cast iron", "cast iron"])
    ind = mat not in ("hard-anodized aluminium",) or r.random() < 0.3
    oven = r.choice([230, 260, 290]) if "nonstick" not in mat else 200
    color = r.choice(["black", "red", "navy", "cream", "sage green", "silver"])
    a = {"material": mat, "induction_compatible": yn(ind), "oven_safe": f"{oven} °C", "color": color}
    if kind == "skillet":
        s = r.choice([20, 24, 26, 28, 30])
        a["diameter"] = f"{s} cm"
        title = f"{brand} {mat.title()} Skillet, {s} cm"
        d = [f"A {s} cm {mat} skillet for searing, sautéing and everyday frying."]
    elif kind == "dutch oven":
        c = r.choice(["3.8 L", "5.5 L", "6.7 L"])
        a["capacity"] = c
        title = f"{brand} {mat.title()} Dutch Oven, {c}"
        d = [f"A {c} {mat} Dutch oven for braises, stews and crusty bread."]
    elif kind == "set":
        n = r.choice([5, 8, 10, 12])
        a["pieces"] = str(n)
        title = f"{brand} {n}-Piece {mat.title()} Cookware Set"
        d = [f"A {n}-piece {mat} cookware set with pans, pots and lids."]
    elif kind == "saucepan":
        c = r.choice(["1.5 L", "2 L", "3 L"])
        a["capacity"] = c
        title = f"{brand} {mat.title()} Saucepan with Lid, {c}"
        d = [f"A {c} {mat} saucepan with a fitted lid for sauces, grains and soups."]
    else:
        s = r.choice([30, 32, 36])
        a["diameter"] = f"{s} cm"
        title = f"{brand} {mat.title()} Wok, {s} cm"
        d = [f"A {s} cm {mat} wok for high-heat stir frying."]
    d.append(f"It is oven safe to {oven} °C" + (" and works on induction hobs." if ind else "."))
    t = {"skillet": 0.1, "dutch oven": 0.4, "set": 0.55, "saucepan": 0.1, "wok": 0.1}[kind] + r.uniform(0, 0.35)
    return title, a, d, band(19, 449, t, r), ["kitchen", "cookware", kind]


def mk_chairs(r, brand):
    model = r.choice(["Ergo", "Posture", "Balance", "Contour", "Atlas", "Axis", "Flow"])
    mat = r.choice(["mesh", "mesh", "fabric", "faux leather", "leather"])
    load = r.choice([110, 120, 136, 150])
    arms = r.choice(["fixed", "2D", "3D", "4D"])
    lumbar = r.choice(["adjustable", "fixed", "dynamic"])
    w = r.choice([14, 16, 18, 21])
    color = r.choice(["black", "grey", "white", "navy", "charcoal"])
    head = r.random() < 0.45
    a = {"material": mat, "max_load": f"{load} kg", "armrests": arms, "lumbar_support": lumbar, "headrest": yn(head),
         "weight": f"{w} kg", "color": color}
    title = f"{brand} {model} Ergonomic {mat.title()} Office Chair{' with Headrest' if head else ''}, {color.title()}"
    d = [f"The {model} is an ergonomic {mat} office chair with {lumbar} lumbar support and {arms} armrests.",
         f"It supports up to {load} kg" + (" and includes an adjustable headrest." if head else ".")]
    t = {"fixed": 0, "2D": 0.1, "3D": 0.2, "4D": 0.35}[arms] + 0.15 * head + (0.2 if mat == "leather" else 0) + r.uniform(0, 0.2)
    return title, a, d, band(99, 1299, t, r), ["office", "furniture", "work from home"]


def mk_bedding(r, brand):
    kind = r.choice(["sheet set", "sheet set", "duvet cover", "duvet", "pillow", "mattress topper"])
    size = r.choice(["Twin", "Full", "Queen", "Queen", "King"])
    color = r.choice(["white", "cream", "slate grey", "sage green", "navy", "sand", "rose"])
    if kind in ("sheet set", "duvet cover"):
        mat = r.choice(["cotton percale", "cotton sateen", "linen", "bamboo lyocell", "microfiber"])
        a = {"material": mat, "size": size, "color": color}
        if "cotton" in mat:
            tc = r.choice([300, 400, 600])
            a["thread_count"] = str(tc)
        title = f"{brand} {mat.title()} {kind.title()}, {size}, {color.title()}"
        d = [f"A {size} {kind} in {mat}" + (f" with a {a['thread_count']} thread count." if "thread_count" in a else "."),
             "Breathable and soft, it gets better with every wash." if mat != "microfiber" else "Wrinkle resistant and easy care."]
        t = {"cotton percale": 0.3, "cotton sateen": 0.35, "linen": 0.6, "bamboo lyocell": 0.45, "microfiber": 0.0}[mat]
    elif kind == "duvet":
        fill = r.choice(["down", "down alternative", "wool"])
        warmth = r.choice(["lightweight", "all-season", "winter"])
        a = {"fill": fill, "warmth": warmth, "size": size, "color": "white"}
        title = f"{brand} {warmth.title()} {fill.title()} Duvet, {size}"
        d = [f"An {warmth} {size} duvet filled with {fill}." if warmth[0] in "a" else f"A {warmth} {size} duvet filled with {fill}.",
             "Box stitching keeps the fill evenly spread."]
        t = {"down": 0.6, "down alternative": 0.2, "wool": 0.5}[fill]
    elif kind == "pillow":
        fill = r.choice(["memory foam", "down", "shredded latex", "down alternative"])
        firm = r.choice(["soft", "medium", "firm"])
        a = {"fill": fill, "firmness": firm, "size": r.choice(["Standard", "Queen", "King"]), "color": "white"}
        title = f"{brand} {firm.title()} {fill.title()} Pillow, {a['size']}"
        d = [f"A {firm} pillow with {fill} fill, sized {a['size']}.", "The removable cover is machine washable."]
        t = r.uniform(0, 0.3)
    else:
        th = r.choice([5, 7, 8, 10])
        a = {"material": r.choice(["memory foam", "latex", "gel memory foam"]), "thickness": f"{th} cm", "size": size, "color": "white"}
        title = f"{brand} {th} cm {a['material'].title()} Mattress Topper, {size}"
        d = [f"A {th} cm {a['material']} mattress topper in {size} size.", "Adds pressure relief to a firm mattress."]
        t = 0.4 + th / 40
    return title, a, d, band(25, 349, t + r.uniform(-0.05, 0.2), r), ["bedroom", kind]


def mk_lamps(r, brand):
    kind = r.choice(["architect", "architect", "clamp", "minimalist bar", "monitor light bar"])
    lm = r.choice([400, 600, 800, 1000, 1200])
    model = r.choice(["Beam", "Glow", "Halo", "Arc", "Lumen", "Focus"])
    cct = r.random() < 0.7
    usb = r.random() < 0.5
    a = {"type": kind, "brightness": f"{lm} lm", "color_temperature": "2700-6500 K" if cct else "4000 K",
         "usb_charging_port": yn(usb), "power": f"{r.choice([8, 10, 12, 15])} W",
         "color": r.choice(["black", "white", "brass", "silver", "sage green"])}
    title = f"{brand} {model} LED {kind.title()} Desk Lamp{' with USB Charging' if usb else ''}"
    if kind == "monitor light bar":
        title = f"{brand} {model} LED Monitor Light Bar"
    d = [f"A {kind} LED desk lamp with up to {lm} lm of flicker-free light.",
         f"Color temperature adjusts from {a['color_temperature']}." if cct else f"It gives a neutral {a['color_temperature']} light.",
         ]
    if usb:
        d.append("A USB charging port in the base tops up your phone.")
    t = lm / 3500 + 0.15 * cct + 0.1 * usb + r.uniform(-0.05, 0.15)
    return title, a, d, band(19, 249, t, r), ["office", "lighting", "work from home"]


def mk_garden(r, brand):
    kind = r.choice(["bypass pruners", "loppers", "spade", "hand trowel", "garden hose", "rake", "hedge shears", "hori hori knife"])
    mat = r.choice(["carbon steel", "stainless steel", "forged steel"])
    handle = r.choice(["ash wood", "fibreglass", "ergonomic rubber grip"])
    a = {"type": kind, "material": mat, "handle": handle}
    if kind == "garden hose":
        ln = r.choice([15, 20, 30])
        a = {"type": kind, "material": "reinforced rubber", "length": f"{ln} m", "color": r.choice(["green", "black", "orange"])}
        title = f"{brand} Kink-Resistant Garden Hose, {ln} m"
        d = [f"A {ln} m reinforced rubber garden hose that resists kinks.", "Brass fittings won't crack in the cold."]
        t = ln / 40
    else:
        L = {"bypass pruners": 21, "loppers": 71, "spade": 104, "hand trowel": 32, "rake": 150, "hedge shears": 58,
             "hori hori knife": 30}[kind]
        a["length"] = f"{L} cm"
        title = f"{brand} {mat.title()} {kind.title()}, {L} cm"
        d = [f"{kind.capitalize()} with a {mat} head and {handle} handle.", f"Overall length {L} cm."]
        t = {"carbon steel": 0.05, "stainless steel": 0.15, "forged steel": 0.3}[mat] + (0.25 if kind in ("loppers", "spade", "rake") else 0) \
            - (0.1 if kind in ("hand trowel", "hori hori knife") else 0)
    return title, a, d, band(9, 129, t + r.uniform(0, 0.2), r), ["garden", "tools", "outdoors"]

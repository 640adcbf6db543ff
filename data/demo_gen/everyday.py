"""Product makers for Beauty, Clothing, Toys, Baby, Pet Supplies, Grocery and Books."""

from __future__ import annotations

from .helpers import band, yn


# each make() returns (title, attributes, description sentences, price_tier 0..1, extra tags)


def mk_skincare(r, brand):
    kind = r.choice(["cleanser", "serum", "serum", "moisturizer", "moisturizer", "sunscreen", "eye cream", "toner"])
    skin = r.choice(["dry", "oily", "combination", "sensitive", "all skin types"])
    ing = r.choice(["hyaluronic acid", "niacinamide", "ceramides", "vitamin C", "squalane", "centella", "retinol", "salicylic acid"])
    cap = {"cleanser": r.choice([150, 200]), "serum": 30, "moisturizer": 50, "sunscreen": 50, "eye cream": 15, "toner": 200}[kind]
    a = {"type": kind, "skin_type": skin, "key_ingredient": ing, "capacity": f"{cap} ml",
         "fragrance_free": yn(r.random() < 0.6)}
    title = f"{brand} {ing.title()} {kind.title()}, {cap} ml"
    if kind == "sunscreen":
        spf = r.choice([30, 50])
        a["spf"] = str(spf)
        title = f"{brand} Daily Mineral Sunscreen SPF {spf} with {ing.title()}, {cap} ml"
    st = "all skin types" if skin == "all skin types" else f"{skin} skin"
    d = [f"A {kind} with {ing}, formulated for {st}.", f"Comes in a {cap} ml bottle."]
    if "spf" in a:
        d.append(f"Provides broad spectrum SPF {a['spf']} protection.")
    if a["fragrance_free"] == "yes":
        d.append("Fragrance free.")
    return title, a, d, band(8, 95, r.uniform(0, 0.8), r), ["skincare", "consumable", ing]


def mk_fragrance(r, brand):
    conc = r.choice(["eau de parfum", "eau de toilette", "eau de parfum"])
    cap = r.choice([30, 50, 100])
    name = r.choice(["Santal Dusk", "Fig Orchard", "Sea Salt & Sage", "Midnight Iris", "Amber Road", "Neroli Bloom",
                     "Cedar Smoke", "Velvet Rose", "Citrus Grove", "Vetiver Rain", "White Tea", "Oud Noir"])
    fam = r.choice(["woody", "floral", "citrus", "fresh", "amber", "aromatic"])
    gender = r.choice(["women", "men", "unisex", "unisex"])
    a = {"concentration": conc, "capacity": f"{cap} ml", "scent_family": fam, "gender": gender}
    title = f"{brand} {name} {conc.title()}, {cap} ml"
    d = [f"{name} is a {fam} {conc} for {'anyone' if gender == 'unisex' else gender}.", f"Presented in a {cap} ml glass bottle."]
    t = cap / 150 + (0.2 if conc == "eau de parfum" else 0)
    return title, a, d, band(29, 249, t + r.uniform(0, 0.25), r), ["fragrance", fam, "gift"]


def mk_jackets(r, brand):
    kind = r.choice(["rain shell", "down puffer", "fleece", "softshell", "insulated parka", "denim jacket"])
    model = r.choice(["Storm", "Fjord", "Granite", "Harbor", "Timber", "Vale", "Coastline"])
    color = r.choice(["black", "navy", "olive", "rust orange", "charcoal", "forest green", "sand"])
    a = {"type": kind, "sizes": "S-XXL", "color": color, "gender": "men"}
    if kind == "rain shell":
        hh = r.choice([10000, 20000, 28000])
        a.update({"material": "3-layer nylon", "waterproof_rating": f"{hh} mm", "weight": f"{r.choice([280, 340, 410])} g"})
        d = [f"A lightweight rain shell in 3-layer nylon with a {hh} mm waterproof rating and taped seams.",
             f"It weighs {a['weight']} and packs into its own pocket."]
        t = hh / 40000
    elif kind in ("down puffer", "insulated parka"):
        fp = r.choice([600, 700, 800])
        a.update({"material": "recycled nylon", "fill": "duck down", "fill_power": str(fp)})
        d = [f"A warm {kind} insulated with {fp} fill power duck down inside a recycled nylon shell.",
             "Elastic cuffs and a hem drawcord seal out the cold."]
        t = fp / 1000 + (0.2 if kind == "insulated parka" else 0)
    elif kind == "fleece":
        a.update({"material": "recycled polyester fleece", "weight": f"{r.choice([300, 350, 420])} g"})
        d = ["A full-zip jacket in soft recycled polyester fleece.", "Great as a mid-layer or on its own on cool days."]
        t = 0.05
    elif kind == "softshell":
        a.update({"material": "stretch softshell", "water_resistant": "yes"})
        d = ["A stretchy, breathable softshell that sheds light rain and blocks wind.", "Zipped hand pockets and an adjustable hood."]
        t = 0.3
    else:
        a.update({"material": "cotton denim"})
        d = ["A classic trucker-style jacket in sturdy cotton denim.", "Gets better with every wear."]
        t = 0.15
    title = f"{brand} {model} Men's {kind.title()} Jacket, {color.title()}".replace("Jacket Jacket", "Jacket")
    return title, a, d, band(49, 449, t + r.uniform(0, 0.2), r), ["clothing", "men", "jacket", kind]


def mk_dresses(r, brand):
    style = r.choice(["wrap", "shift", "maxi", "midi", "slip", "shirt", "sundress"])
    mat = r.choice(["linen", "cotton", "viscose", "silk", "jersey", "cotton poplin"])
    sleeve = r.choice(["sleeveless", "short sleeve", "long sleeve", "puff sleeve"])
    color = r.choice(["black", "navy", "emerald", "terracotta", "ivory", "floral print", "polka dot", "dusty pink", "sky blue"])
    a = {"style": style, "material": mat, "sleeve": sleeve, "sizes": "XS-XL", "color": color, "gender": "women"}
    name = r.choice(["Juniper", "Marlowe", "Clementine", "Ivy", "Solene", "Rosalind", "Ottilie", "Bea"])
    title = f"{brand} {name} {mat.title()} {style.title()} Dress, {color.title()}".replace("Sundress Dress", "Sundress")
    d = [f"A {sleeve} {style} dress in {mat}, available in sizes XS-XL.",
         "Easy to dress up or down." if mat != "silk" else "Cut on the bias for a fluid drape.",
         "Machine washable." if mat not in ("silk", "viscose") else "Dry clean or hand wash cold."]
    t = {"linen": 0.35, "cotton": 0.15, "viscose": 0.1, "silk": 0.7, "jersey": 0.05, "cotton poplin": 0.2}[mat]
    return title, a, d, band(29, 249, t + r.uniform(0, 0.25), r), ["clothing", "women", "dress", style]


def mk_building(r, brand):
    theme = r.choice(["space", "city", "castle", "vehicles", "botanical", "dinosaurs", "pirates", "architecture"])
    pieces = r.choice([120, 250, 480, 650, 900, 1200, 1800, 2500])
    age = "4+" if pieces < 200 else ("6+" if pieces < 500 else ("8+" if pieces < 1000 else ("10+" if pieces < 2000 else "18+")))
    subj = {"space": ["Lunar Rover", "Rocket Launch Pad", "Space Station"], "city": ["Fire Station", "Corner Cafe", "Cargo Train"],
            "castle": ["Knight's Castle", "Dragon Tower"], "vehicles": ["Race Car", "Monster Truck", "Off-Road Buggy"],
            "botanical": ["Flower Bouquet", "Bonsai Tree", "Succulent Garden"], "dinosaurs": ["T. Rex Escape", "Dino Lab"],
            "pirates": ["Pirate Ship", "Treasure Island"], "architecture": ["City Skyline", "Lighthouse", "Treehouse"]}[theme]
    s = r.choice(subj)
    a = {"pieces": str(pieces), "age": age, "theme": theme, "compatible_with_major_brands": yn(r.random() < 0.7)}
    title = f"{brand} {s} Building Set, {pieces} Pieces"
    d = [f"A {theme}-themed building set with {pieces} pieces, recommended for ages {age}.",
         "Step-by-step illustrated instructions are included." if pieces < 1000 else "A rewarding, display-worthy build for experienced builders."]
    return title, a, d, band(9, 299, pieces / 2800 + r.uniform(-0.05, 0.1), r), ["toys", "building", "gift", theme]


def mk_strollers(r, brand):
    kind = r.choice(["full-size", "compact travel", "jogging", "double"])
    w = {"full-size": 10.5, "compact travel": 6.8, "jogging": 11.9, "double": 13.5}[kind] + r.choice([-0.5, 0.0, 0.6])
    model = r.choice(["Cruiser", "Breeze", "Voyager", "Nest", "Sprout", "Wander"])
    maxw = r.choice([15, 17, 22])
    a = {"type": kind, "weight": f"{round(w, 1)} kg", "max_child_weight": f"{maxw} kg",
         "one_hand_fold": yn(kind == "compact travel" or r.random() < 0.5), "recline_positions": str(r.choice([2, 3, 4, 5])),
         "color": r.choice(["black", "grey", "navy", "olive", "sand"])}
    title = f"{brand} {model} {kind.title()} Stroller"
    d = [f"A {kind} stroller weighing {a['weight']} that carries a child up to {maxw} kg.",
         f"The seat has {a['recline_positions']} recline positions" + (" and it folds with one hand." if a["one_hand_fold"] == "yes" else ".")]
    t = {"full-size": 0.4, "compact travel": 0.25, "jogging": 0.45, "double": 0.6}[kind] + r.uniform(0, 0.3)
    return title, a, d, band(99, 899, t, r), ["baby", "stroller"]


def mk_diapers(r, brand):
    kind = r.choice(["diapers", "diapers", "diapers", "wipes", "pull-ups"])
    if kind == "wipes":
        n = r.choice([480, 720, 960])
        a = {"type": "baby wipes", "count": str(n), "fragrance_free": "yes", "material": "plant-based fibres"}
        title = f"{brand} Sensitive Fragrance-Free Baby Wipes, {n} Count"
        d = [f"A pack of {n} fragrance-free wipes made from plant-based fibres.", "Gentle enough for newborn skin."]
        t = n / 1500
    else:
        size = r.choice(["Newborn", "Size 1", "Size 2", "Size 3", "Size 4", "Size 5"])
        n = r.choice([64, 84, 120, 144, 180])
        a = {"type": kind, "size": size, "count": str(n), "fragrance_free": "yes"}
        title = f"{brand} {'Overnight ' if r.random() < 0.3 else ''}{'Diapers' if kind == 'diapers' else 'Training Pull-Ups'}, {size}, {n} Count"
        d = [f"A pack of {n} {kind} in {size}.", "Fragrance free with a wetness indicator and stretchy sides."]
        t = n / 200
    return title, a, d, band(9, 59, t + r.uniform(-0.05, 0.1), r), ["baby", "consumable", kind]


def mk_dogfood(r, brand):
    form = r.choice(["dry", "dry", "dry", "wet"])
    protein = r.choice(["chicken", "salmon", "lamb", "beef", "duck", "turkey"])
    stage = r.choice(["puppy", "adult", "adult", "senior"])
    gf = r.random() < 0.4
    if form == "dry":
        w = r.choice([2, 5, 6.8, 12, 15])
        a = {"form": "dry kibble", "protein": protein, "life_stage": stage, "grain_free": yn(gf), "weight": f"{w} kg"}
        title = f"{brand} {'Grain-Free ' if gf else ''}{protein.title()} Recipe {stage.title()} Dry Dog Food, {w} kg"
        d = [f"Dry kibble for {stage} dogs with real {protein} as the first ingredient.", f"Comes in a {w} kg bag."]
        t = w / 18
    else:
        n = r.choice([6, 12, 24])
        a = {"form": "wet", "protein": protein, "life_stage": stage, "grain_free": yn(gf), "count": f"{n} cans",
             "can_size": "370 g"}
        title = f"{brand} {protein.title()} Stew {stage.title()} Wet Dog Food, {n} x 370 g"
        d = [f"Hearty {protein} stew for {stage} dogs in {n} cans of 370 g each.", "Serve on its own or as a kibble topper."]
        t = n / 30
    if gf:
        d.append("Grain free.")
    return title, a, d, band(12, 89, t + r.uniform(-0.05, 0.15), r), ["pets", "dog", "consumable"]


def mk_coffee(r, brand):
    form = r.choice(["whole bean", "whole bean", "whole bean", "ground", "capsules"])
    origin = r.choice(["Ethiopia Yirgacheffe", "Colombia Huila", "Guatemala Antigua", "Brazil Cerrado", "Sumatra Mandheling",
                       "Kenya Nyeri", "House Espresso Blend", "Breakfast Blend", "Decaf Colombia", "Costa Rica Tarrazu"])
    roast = r.choice(["light", "medium", "medium", "dark"])
    if "Espresso" in origin:
        roast = r.choice(["medium", "dark"])
    notes = r.sample(["blueberry", "chocolate", "caramel", "citrus", "jasmine", "hazelnut", "brown sugar", "cherry", "toffee", "cocoa"], 2)
    if form == "capsules":
        n = r.choice([10, 30, 50])
        a = {"form": "capsules", "origin": origin, "roast": roast, "count": f"{n} capsules", "tasting_notes": ", ".join(notes)}
        title = f"{brand} {origin} Espresso Capsules, {roast.title()} Roast, {n} Count"
        d = [f"{n} espresso capsules filled with {roast} roast {origin}.", f"Tasting notes of {notes[0]} and {notes[1]}."]
        t = n / 60
    else:
        w = r.choice(["250 g", "340 g", "500 g", "1 kg"])
        a = {"form": form, "origin": origin, "roast": roast, "weight": w, "tasting_notes": ", ".join(notes)}
        title = f"{brand} {origin} {form.title()} Coffee, {roast.title()} Roast, {w}"
        d = [f"A {roast} roast {origin} coffee, sold as {form} in a {w} bag.",
             f"Expect notes of {notes[0]} and {notes[1]}.",
             "Roasted in small batches and packed in a bag with a one-way valve."]
        t = {"250 g": 0.05, "340 g": 0.2, "500 g": 0.45, "1 kg": 0.85}[w]
    return title, a, d, band(8, 30, t + r.uniform(-0.05, 0.1), r), ["coffee", "consumable", roast + " roast"]


def mk_tea(r, brand):
    kind = r.choice(["green", "black", "oolong", "herbal", "rooibos", "chai", "matcha"])
    form = r.choice(["loose leaf", "tea bags"]) if kind != "matcha" else "powder"
    name = {"green": "Sencha", "black": r.choice(["English Breakfast", "Assam", "Earl Grey"]), "oolong": "Tieguanyin",
            "herbal": r.choice(["Chamomile Honey", "Peppermint", "Lemon Ginger"]), "rooibos": "Vanilla Rooibos",
            "chai": "Masala Chai", "matcha": "Ceremonial Matcha"}[kind]
    if form == "tea bags":
        n = r.choice([20, 50, 100])
        a = {"type": kind, "form": form, "count": f"{n} bags", "caffeine": "none" if kind in ("herbal", "rooibos") else "yes"}
        title = f"{brand} {name} Tea, {n} Tea Bags"
        d = [f"{n} bags of {name}, a {kind} tea.", "Caffeine free." if a["caffeine"] == "none" else "Brew for a few minutes in hot water."]
        t = n / 150
    else:
        w = r.choice(["30 g", "100 g", "250 g"]) if form == "powder" else r.choice(["100 g", "250 g"])
        a = {"type": kind, "form": form, "weight": w, "caffeine": "none" if kind in ("herbal", "rooibos") else "yes"}
        title = f"{brand} {name} {'Loose Leaf Tea' if form == 'loose leaf' else 'Powder'}, {w}"
        d = [f"{name}, a {kind} tea, in a {w} resealable pouch.", "Caffeine free." if a["caffeine"] == "none" else "Steep to taste."]
        t = 0.3 + (0.4 if kind in ("matcha", "oolong") else 0)
    return title, a, d, band(4, 28, t + r.uniform(0, 0.2), r), ["tea", "consumable", kind]


def mk_cookbooks(r, brand):
    cuisine = r.choice(["Italian", "Japanese", "Mexican", "vegetarian", "baking", "Middle Eastern", "weeknight", "vegan",
                        "Korean", "French", "grilling", "Indian"])
    first = r.choice(["Ana", "Marcus", "Leila", "Tomasz", "Keiko", "Rosa", "Daniel", "Priya", "Hugo", "Nell"])
    last = r.choice(["Verde", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Bellamy", "Castell", "Harlow", "Quinn", "Adair"])
    titles = {"baking": ["Crumb & Crust", "The Patient Loaf", "Butter, Flour, Time"],
              "weeknight": ["Thirty-Minute Suppers", "Tuesday Night Table"], "grilling": ["Fire & Smoke", "The Backyard Grill"]}
    book = r.choice(titles.get(cuisine, [f"The {cuisine.title()} Kitchen", f"Everyday {cuisine.title()}", f"{cuisine.title()} at Home"]))
    pages = r.choice([192, 224, 256, 288, 320, 352])
    fmt = r.choice(["hardcover", "hardcover", "paperback"])
    a = {"author": f"{first} {last}", "format": fmt, "pages": str(pages), "cuisine": cuisine, "language": "English"}
    title = f"{book}: {cuisine.title() if cuisine[0].islower() else cuisine} Recipes for Every Day ({fmt.title()}) by {first} {last}"
    d = [f"A {pages}-page {fmt} {cuisine} cookbook by {first} {last}.",
         "Recipes are written for home cooks with clear steps and full-page photographs."]
    return title, a, d, band(12, 45, (0.4 if fmt == "hardcover" else 0) + pages / 1000 + r.uniform(0, 0.1), r), ["books", "cooking", cuisine.lower()]

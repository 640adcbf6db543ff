"""Product makers for the Sports and Outdoors departments."""

from __future__ import annotations

from .helpers import band, yn


# each make() returns (title, attributes, description sentences, price_tier 0..1, extra tags)


def mk_running(r, brand):
    surface = r.choice(["road", "road", "trail"])
    model = r.choice(["Glide", "Tempo", "Ridge", "Swift", "Apex", "Cloudline", "Racer", "Cascade", "Surge"])
    gender = r.choice(["men", "women", "unisex"])
    drop = r.choice([0, 4, 6, 8, 10, 12])
    w = r.choice([210, 230, 250, 270, 290, 310])
    cush = r.choice(["light", "moderate", "max"])
    color = r.choice(["black", "white", "coral", "sky blue", "olive", "navy", "neon yellow"])
    sizes = "US 7-13" if gender == "men" else ("US 5-11" if gender == "women" else "US 5-13")
    a = {"surface": surface, "gender": gender, "drop": f"{drop} mm", "weight": f"{w} g", "cushioning": cush,
         "size_range": sizes, "color": color}
    g = {"men": "Men's", "women": "Women's", "unisex": "Unisex"}[gender]
    title = f"{brand} {model} {g} {'Trail ' if surface == 'trail' else ''}Running Shoes, {color.title()}"
    d = [f"The {model} is a {surface} running shoe with {cush} cushioning and a {drop} mm drop.",
         f"Each shoe weighs about {w} g" + (", with a lugged outsole for grip on loose ground." if surface == "trail" else "."),
         f"Available in sizes {sizes}."]
    t = {"light": 0.2, "moderate": 0.35, "max": 0.55}[cush] + r.uniform(0, 0.3)
    return title, a, d, band(59, 229, t, r), ["running", surface, "shoes"]


def mk_yoga(r, brand):
    kind = r.choice(["mat", "mat", "mat", "block", "strap", "bolster"])
    color = r.choice(["sage green", "lavender", "black", "sand", "coral", "ocean blue", "plum"])
    if kind == "mat":
        th = r.choice([3, 4, 5, 6, 8])
        mat = r.choice(["natural rubber", "TPE", "PVC", "cork", "natural rubber"])
        ln = r.choice([173, 183, 185])
        a = {"material": mat, "thickness": f"{th} mm", "length": f"{ln} cm", "color": color}
        title = f"{brand} {mat.title() if mat != 'TPE' and mat != 'PVC' else mat} Yoga Mat, {th} mm, {color.title()}"
        d = [f"A {th} mm {mat} yoga mat, {ln} cm long.",
             "The textured surface grips well in sweaty flows." if mat in ("natural rubber", "cork") else "Light and easy to roll up."]
        t = {"natural rubber": 0.35, "TPE": 0.12, "PVC": 0.03, "cork": 0.4}[mat] + th / 60
    elif kind == "block":
        mat = r.choice(["cork", "foam"])
        a = {"material": mat, "dimensions": "23 x 15 x 10 cm", "color": color, "quantity": "2"}
        title = f"{brand} {mat.title()} Yoga Blocks, Set of 2"
        d = [f"A set of 2 {mat} yoga blocks measuring 23 x 15 x 10 cm.", "Use them to support balance poses and deep stretches."]
        t = 0.2 if mat == "foam" else 0.35
    elif kind == "strap":
        ln = r.choice(["1.8 m", "2.5 m", "3 m"])
        a = {"material": "cotton", "length": ln, "color": color}
        title = f"{brand} Cotton Yoga Strap with D-Ring, {ln}"
        d = [f"A {ln} cotton yoga strap with a metal D-ring buckle.", "Helps deepen stretches safely."]
        t = 0.0
    else:
        a = {"material": "cotton cover, buckwheat fill", "shape": r.choice(["round", "rectangular"]), "color": color}
        title = f"{brand} {a['shape'].title()} Yoga Bolster Pillow"
        d = [f"A {a['shape']} bolster with a cotton cover and buckwheat fill for restorative yoga."]
        t = 0.4
    return title, a, d, band(9, 149, t + r.uniform(0, 0.2), r), ["yoga", "fitness"]


def mk_tents(r, brand, force_cap=None, force_model=None):
    cap = force_cap or r.choice([1, 2, 2, 3, 4, 6])
    season = r.choice(["3-season", "3-season", "4-season"])
    w = {1: 1.1, 2: 1.6, 3: 2.4, 4: 3.8, 6: 7.2}[cap] + r.choice([-0.2, 0.0, 0.3])
    w = round(w, 1)
    hh = r.choice([1500, 2000, 3000, 5000])
    model = force_model or r.choice(["Trailhead", "Basecamp", "Ridgeline", "Summit", "Meadow", "Cirrus", "Alpine"])
    color = r.choice(["green", "orange", "grey", "sand", "blue"])
    a = {"capacity": f"{cap} person", "season": season, "weight": f"{w} kg", "waterproof_rating": f"{hh} mm",
         "poles": r.choice(["aluminium", "fibreglass"]), "color": color}
    use = "Backpacking" if cap <= 2 else ("Camping" if cap <= 4 else "Family Camping")
    title = f"{brand} {model} {cap}-Person {use} Tent"
    d = [f"The {model} is a {season} tent that sleeps {cap} and weighs {w} kg.",
         f"The flysheet has a {hh} mm waterproof rating and the poles are {a['poles']}."]
    if cap <= 2:
        d.append("Light enough for multi-day backpacking trips.")
    t = (0.3 if season == "4-season" else 0) + (0.3 if a["poles"] == "aluminium" else 0) + cap / 20 + r.uniform(0, 0.2)
    return title, a, d, band(89, 699, t, r), ["camping", "outdoors", "tent"]


def mk_backpacks(r, brand):
    use = r.choice(["daypack", "daypack", "backpacking", "backpacking", "travel"])
    cap = {"daypack": r.choice([18, 22, 25, 30]), "backpacking": r.choice([45, 55, 65, 70]), "travel": r.choice([35, 40, 45])}[use]
    w = round({"daypack": 0.6, "backpacking": 1.5, "travel": 1.2}[use] + r.choice([-0.1, 0.0, 0.2, 0.3]), 1)
    model = r.choice(["Trekker", "Ascent", "Wayfinder", "Nomad", "Pathway", "Crag", "Venture"])
    color = r.choice(["black", "olive", "rust orange", "navy", "slate grey"])
    rc = r.random() < 0.5
    a = {"capacity": f"{cap} L", "weight": f"{w} kg", "use": use, "rain_cover": yn(rc), "color": color,
         "frame": "internal" if use == "backpacking" else "frameless"}
    label = {"daypack": "Hiking Daypack", "backpacking": "Backpacking Pack", "travel": "Carry-On Travel Backpack"}[use]
    title = f"{brand} {model} {cap} L {label}"
    d = [f"The {model} is a {cap} L {use} backpack weighing {w} kg.",
         "An internal frame and padded hip belt carry heavy loads comfortably." if use == "backpacking" else "Padded straps and a ventilated back panel keep it comfortable."]
    if rc:
        d.append("An integrated rain cover tucks into the base.")
    t = {"daypack": 0.05, "backpacking": 0.45, "travel": 0.3}[use] + r.uniform(0, 0.3)
    return title, a, d, band(29, 349, t, r), ["outdoors", "hiking", "bags"]


def mk_sleeping(r, brand):
    fill = r.choice(["down", "synthetic"])
    temp = r.choice([-10, -5, 0, 5, 10])
    shape = r.choice(["mummy", "mummy", "rectangular"])
    w = {"down": 700, "synthetic": 1200}[fill] + (10 - temp) * 25 + r.choice([0, 50, 100])
    model = r.choice(["Ember", "Cocoon", "Nightfall", "Drift", "Glacier", "Hearth"])
    a = {"fill": fill, "temperature_rating": f"{temp} °C", "shape": shape, "weight": f"{w} g",
         "length": r.choice(["200 cm", "215 cm"]), "color": r.choice(["red", "blue", "olive", "orange", "grey"])}
    title = f"{brand} {model} {temp} °C {fill.title()} {shape.title()} Sleeping Bag"
    d = [f"A {shape} sleeping bag with {fill} fill, rated to {temp} °C.",
         f"It weighs {w} g and packs into a compression sack."]
    t = (0.5 if fill == "down" else 0.1) + (10 - temp) / 50 + r.uniform(0, 0.15)
    return title, a, d, band(39, 499, t, r), ["camping", "outdoors", "sleep"]


def mk_hydration(r, brand, force=None):
    kind = r.choice(["bottle", "bottle", "bottle", "vest", "flask"])
    if force:
        kind = "bottle"
    color = r.choice(["black", "white", "sage green", "coral", "ocean blue", "sand", "lavender"])
    if kind == "bottle":
        cap = force or r.choice([500, 600, 750, 1000])
        mat = "stainless steel" if force else r.choice(["stainless steel", "stainless steel", "Tritan plastic"])
        ins = mat == "stainless steel"
        a = {"capacity": f"{cap} ml", "material": mat, "insulated": yn(ins), "color": color}
        if ins:
            a["keeps_cold"] = "24 h"
        title = f"{brand} {'Insulated Stainless Steel' if ins else 'Tritan'} Water Bottle, {cap} ml"
        d = [f"A {cap} ml {'double-wall insulated ' if ins else ''}{mat} water bottle with a leakproof lid."]
        if ins:
            d.append(f"Keeps drinks cold for {a['keeps_cold']}.")
        t = 0.05 + 0.15 * ins + cap / 5000
    elif kind == "vest":
        cap = r.choice([5, 8, 12])
        a = {"capacity": f"{cap} L", "includes": "2 soft flasks", "color": color, "sizes": "XS-XL"}
        title = f"{brand} {cap} L Running Hydration Vest with 2 Soft Flasks"
        d = [f"A {cap} L running vest that comes with 2 soft flasks and room for a jacket and snacks."]
        t = 0.6 + cap / 40
    else:
        cap = r.choice([250, 500])
        a = {"capacity": f"{cap} ml", "material": "TPU", "color": color}
        title = f"{brand} Collapsible Soft Flask, {cap} ml"
        d = [f"A {cap} ml collapsible TPU soft flask that fits running vest pockets."]
        t = 0.1
    return title, a, d, band(9, 129, t + r.uniform(0, 0.1), r), ["hydration", "running", "outdoors"]

"""Shopper personas and their browsing, cart and purchase histories."""

from __future__ import annotations

from datetime import datetime, timedelta

from .catalog import CONSUMABLE_CATS
from .text import FIRST_NAMES


PERSONAS = [
    # persona, favourite categories (weights), price band (quantile lo, hi), complements: category -> follow-up categories
    ("runner", {"Sports > Running Shoes": 5, "Sports > Hydration": 3, "Electronics > Smartwatches": 2, "Electronics > Headphones": 1}),
    ("home barista", {"Home > Kitchen > Coffee Makers": 4, "Grocery > Coffee": 6, "Home > Kitchen > Cookware": 1}),
    ("gamer", {"Electronics > Gaming Accessories": 5, "Electronics > Monitors": 2, "Electronics > Laptops": 2, "Electronics > Headphones": 1}),
    ("new parent", {"Baby > Strollers": 2, "Baby > Diapers & Wipes": 6, "Home > Bedding": 1, "Grocery > Coffee": 1}),
    ("outdoor camper", {"Outdoors > Tents": 3, "Outdoors > Sleeping Bags": 3, "Outdoors > Backpacks": 3, "Sports > Hydration": 1, "Clothing > Men > Jackets": 1}),
    ("skincare fan", {"Beauty > Skincare": 7, "Beauty > Fragrances": 2, "Clothing > Women > Dresses": 1}),
    ("remote worker", {"Electronics > Laptops": 2, "Office > Desk Lamps": 3, "Home > Furniture > Office Chairs": 3, "Electronics > Monitors": 2, "Grocery > Tea": 1}),
    ("dog owner", {"Pet Supplies > Dog Food": 7, "Garden > Tools": 1, "Sports > Hydration": 1}),
    ("home cook", {"Home > Kitchen > Cookware": 4, "Books > Cookbooks": 3, "Grocery > Tea": 1, "Grocery > Coffee": 1}),
    ("yogi", {"Sports > Yoga": 5, "Beauty > Skincare": 2, "Grocery > Tea": 2, "Clothing > Women > Dresses": 1}),
    ("gardener", {"Garden > Tools": 5, "Books > Cookbooks": 1, "Clothing > Men > Jackets": 1}),
    ("tech enthusiast", {"Electronics > Smartphones": 3, "Electronics > Headphones": 3, "Electronics > Smartwatches": 2, "Electronics > Laptops": 1}),
    ("parent of a builder", {"Toys > Building Sets": 5, "Books > Cookbooks": 1, "Baby > Diapers & Wipes": 1}),
    ("fashion shopper", {"Clothing > Women > Dresses": 4, "Beauty > Fragrances": 2, "Clothing > Men > Jackets": 2}),
    ("tea lover", {"Grocery > Tea": 6, "Home > Kitchen > Coffee Makers": 1, "Books > Cookbooks": 1}),
    ("sleep upgrader", {"Home > Bedding": 5, "Beauty > Skincare": 1, "Office > Desk Lamps": 1}),
]
# purchase in category A tends to be followed by purchase in category B (co-purchase structure)
COMPLEMENTS = {
    "Outdoors > Tents": ["Outdoors > Sleeping Bags", "Outdoors > Backpacks"],
    "Outdoors > Sleeping Bags": ["Outdoors > Backpacks"],
    "Home > Kitchen > Coffee Makers": ["Grocery > Coffee"],
    "Electronics > Laptops": ["Office > Desk Lamps", "Home > Furniture > Office Chairs", "Electronics > Monitors"],
    "Home > Furniture > Office Chairs": ["Office > Desk Lamps"],
    "Sports > Running Shoes": ["Sports > Hydration", "Electronics > Smartwatches"],
    "Baby > Strollers": ["Baby > Diapers & Wipes"],
    "Electronics > Smartphones": ["Electronics > Headphones"],
    "Home > Kitchen > Cookware": ["Books > Cookbooks"],
    "Sports > Yoga": ["Sports > Hydration"],
}
# what the bestsellers / usual partners look like in a category (a tent buyer's backpack is a backpacking pack)
TYPICAL = {
    "Home > Kitchen > Coffee Makers": lambda p: p["attributes"].get("type") == "espresso machine",
    "Grocery > Coffee": lambda p: p["attributes"].get("form") == "whole bean",
    "Electronics > Laptops": lambda p: p["attributes"].get("use") in ("ultrabook", "business"),
    "Outdoors > Backpacks": lambda p: p["attributes"].get("use") == "backpacking",
    "Outdoors > Tents": lambda p: p["attributes"].get("capacity") in ("2 person", "3 person"),
    "Outdoors > Sleeping Bags": lambda p: p["attributes"].get("shape") == "mummy",
    "Baby > Diapers & Wipes": lambda p: p["attributes"].get("type") in ("diapers", "baby wipes"),
}
PERSONA_NAMES = ["Maya Chen", "Liam Okoro", "Sofia Reyes", "Noah Brandt", "Aisha Rahman", "Ethan Park", "Chloe Martin",
                 "Mateo Silva", "Priya Nair", "Lucas Meyer", "Hana Sato", "Oliver Byrne", "Zara Khan", "Daniel Novak",
                 "Ines Duarte", "Kenji Mori", "Amara Eze", "Felix Wagner", "Leila Haddad", "Marco Rossi", "Nora Lind",
                 "Samir Aziz", "Elena Petrova", "Jonah Fisher", "Yuki Tanabe", "Tomas Kral", "Ava Sullivan",
                 "Rafael Costa", "Grace Obi", "Omar Farouk", "Isla Grant", "Viktor Hale", "Mei Lin", "Caleb Moss",
                 "Fatima Diallo", "Hugo Laurent", "Ruby Walsh", "Arjun Mehta", "Clara Jensen", "Diego Ramos",
                 "Freya Olsen", "Tariq Aziz", "June Harper", "Ben Adler", "Lucia Ferreira", "Kofi Mensah",
                 "Anya Volkova", "Pablo Ortega", "Sienna Brooks", "Theo Marsh"]


def build_shoppers(r, products):
    by_cat = {}
    for p in products:
        by_cat.setdefault(p["category"], []).append(p)
    # per-category popularity: a fixed Zipf-ish weight so shoppers converge on the same popular items
    pop = {}
    for cat, ps in by_cat.items():
        order = ps[:]
        r.shuffle(order)
        # the bestsellers should be typical, in-stock items (an espresso machine, an espresso-friendly bean)
        order.sort(key=lambda p: (p["stock"] == 0, not TYPICAL.get(cat, lambda _p: True)(p)))
        head, tail = order[:4], order[4:]
        r.shuffle(tail)
        order = head + tail
        pop[cat] = {p["id"]: 1.0 / (i + 1) ** 1.6 for i, p in enumerate(order)}
    # item-level complements: each product in an anchor category has a usual partner in each complement
    # category (the sleeping bag people buy with that tent), so item-to-item co-purchase has signal
    partner = {}
    for a_cat, comps in COMPLEMENTS.items():
        for p in by_cat[a_cat]:
            for c in comps:
                cands = [x for x in by_cat[c] if x["stock"] > 0 and TYPICAL.get(c, lambda _p: True)(x)]
                partner[(p["id"], c)] = r.choices(cands, weights=[pop[c][x["id"]] ** 2 for x in cands])[0]

    bestsellers = {c: sorted(ps, key=lambda p: -pop[c][p["id"]])[:2] for c, ps in by_cat.items()}

    def eff(p):
        return p["sale_price"] if p["sale_price"] is not None else p["price"]

    def pick(cat, band_q, avoid_oos=True):
        ps = by_cat[cat]
        prices = sorted(eff(p) for p in ps)
        lo = prices[int(band_q[0] * (len(prices) - 1))]
        hi = prices[int(band_q[1] * (len(prices) - 1))]
        in_band = r.random() < 0.6  # shoppers mostly stay in their price band, sometimes follow the crowd
        cands = [p for p in ps if (not in_band or lo <= eff(p) <= hi) and (p["stock"] > 0 or not avoid_oos)] or ps
        w = [pop[cat][p["id"]] for p in cands]
        return r.choices(cands, weights=w)[0]

    # every persona at least once, then more shoppers for the personas with strong bundles
    core = [4, 1, 6, 0, 2, 3, 5, 7]
    plan = list(range(len(PERSONAS))) + core * 12
    profiles = []
    events = []
    start = datetime(2025, 6, 1)
    end = datetime(2026, 10, 31, 23, 0)
    n_shoppers = 96
    names = PERSONA_NAMES[:]
    surnames = sorted({n.split()[1] for n in PERSONA_NAMES})
    while len(names) < n_shoppers:
        cand = f"{r.choice(FIRST_NAMES)} {r.choice(surnames)}"
        if cand not in names:
            names.append(cand)
    for i in range(1, n_shoppers + 1):
        sid = f"S{i:03d}"
        name = names[i - 1]
        if i in (31, 32):
            profiles.append({"shopper_id": sid, "name": name, "persona": "new visitor (no history yet)"})
            continue
        persona, favs = PERSONAS[plan.pop(0)]
        if i == 33:
            persona, favs = "window shopper", {"Electronics > Laptops": 2, "Home > Bedding": 1, "Beauty > Fragrances": 1}
        q = r.choice([(0.0, 0.4), (0.2, 0.7), (0.4, 0.9), (0.6, 1.0)])
        budget = {(0.0, 0.4): "budget", (0.2, 0.7): "mid-range", (0.4, 0.9): "upper mid-range", (0.6, 1.0): "premium"}[q]
        profiles.append({"shopper_id": sid, "name": name, "persona": f"{persona}, {budget}"})
        target = r.randint(5, 40)
        t = start + timedelta(days=r.randint(0, 300), hours=r.randint(7, 21), minutes=r.choice(range(0, 60, 2)))
        evs = []
        bought_consumables = []
        owned, bought_cats = set(), set()
        cats, weights = zip(*favs.items())
        pending = []  # (complement category, product that triggered it) to shop next
        while len(evs) < target and t < end:
            trigger = None
            if pending and r.random() < 0.8:
                cat, trigger = pending.pop(0)
            elif bought_consumables and r.random() < 0.25:
                p0 = r.choice(bought_consumables)
                # re-purchase a consumable: view then buy
                evs.append((t, p0, "view", 1))
                t += timedelta(minutes=r.randint(1, 15))
                qty = r.choice([1, 1, 2])
                evs.append((t, p0, "cart", qty))
                t += timedelta(minutes=r.randint(1, 10))
                evs.append((t, p0, "purchase", qty))
                t += timedelta(days=r.randint(18, 45), hours=r.randint(-3, 3))
                continue
            elif not evs:
                cat = cats[0]  # the first visit is for the persona's main thing (a tent, an espresso machine...)
            else:
                cat = r.choices(cats, weights=[w * (0.25 if c in bought_cats else 1.0) for c, w in zip(cats, weights)])[0]
            # a session: 1-4 views, maybe cart, maybe buy
            seen = []
            want = partner.get((trigger, cat)) if trigger and r.random() < 0.7 else None
            if want is None and cat in COMPLEMENTS and cat not in bought_cats and r.random() < 0.6:
                want = r.choice(bestsellers[cat])  # most people buy one of the two bestselling tents
            nviews = r.choice([1, 1, 2, 2, 3, 4])
            for k in range(nviews):
                p = want if (want is not None and k == nviews - 1) else pick(cat, q, avoid_oos=False)
                seen.append(p)
                evs.append((t, p, "view", 1))
                t += timedelta(minutes=r.randint(1, 12))
            if i == 33:
                t += timedelta(days=r.randint(2, 30))
                continue
            # nobody buys the same tent twice: owned durable goods are only browsed again
            instock = [p for p in seen if p["stock"] > 0 and p["id"] not in owned]
            if want is not None:
                p_buy = 0.9
            elif cat in bought_cats:
                p_buy = 0.1
            elif not owned and not bought_consumables:
                p_buy = 0.9
            else:
                p_buy = 0.65
            buy_now = r.random() < p_buy
            if instock and buy_now:
                p = want if (want is not None and want in instock) else max(instock, key=lambda x: pop[cat][x["id"]])
                qty = 1 if p["category"] not in CONSUMABLE_CATS else r.choice([1, 1, 2, 3])
                evs.append((t, p, "cart", qty))
                t += timedelta(minutes=r.randint(1, 20))
                if r.random() < 0.85:
                    evs.append((t, p, "purchase", qty))
                    if p["category"] in CONSUMABLE_CATS:
                        if p not in bought_consumables:
                            bought_consumables.append(p)
                    else:
                        owned.add(p["id"])
                        bought_cats.add(cat)
                    for c in COMPLEMENTS.get(cat, []):
                        if r.random() < 0.8 and c not in [x[0] for x in pending]:
                            pending.append((c, p["id"]))
            t += timedelta(days=r.randint(1, 21), hours=r.randint(0, 10), minutes=r.choice(range(0, 60, 2)))
        evs = evs[:target]
        evs = [e for e in evs if e[0] <= end]
        if i == 33:
            evs = [e for e in evs if e[2] == "view"]
        evs.sort(key=lambda e: e[0])
        for ts, p, action, qty in evs:
            events.append({"shopper_id": sid, "product_id": p["id"], "action": action,
                           "timestamp": ts.strftime("%Y-%m-%dT%H:%M:00Z"), "quantity": qty, "price": eff(p)})
    return profiles, events

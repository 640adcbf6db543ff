"""Product makers for the Electronics department."""

from __future__ import annotations

from .helpers import band, yn


# each make() returns (title, attributes, description sentences, price_tier 0..1, extra tags)


def mk_headphones(r, brand):
    kind = r.choice(["over-ear", "over-ear", "in-ear", "in-ear", "on-ear", "open-ear"])
    wireless = kind != "on-ear" or r.random() < 0.6
    if r.random() < 0.15:
        wireless = False
    anc = wireless and kind in ("over-ear", "in-ear") and r.random() < 0.6
    model = r.choice(["Pulse", "Echo", "Drift", "Halo", "Studio", "Aria", "Nimbus", "Vox", "Tempo", "Quill", "Crest", "Lumen"])
    color = r.choice(["black", "white", "navy", "sand", "graphite", "sage green", "rose"])
    weight = {"over-ear": r.choice([240, 255, 265, 280, 310]), "on-ear": r.choice([180, 195, 210]),
              "in-ear": r.choice([45, 50, 52, 58]), "open-ear": r.choice([28, 32, 36])}[kind]
    a = {"type": kind, "wireless": yn(wireless), "noise_cancelling": yn(anc), "color": color, "weight": f"{weight} g"}
    if wireless:
        bl = r.choice([20, 24, 30, 36, 40, 50, 60]) if kind in ("over-ear", "on-ear") else r.choice([6, 8, 24, 28, 32])
        a["battery_life"] = f"{bl} h"
        a["connectivity"] = "Bluetooth 5.3"
    else:
        a["connectivity"] = r.choice(["3.5 mm jack", "USB-C"])
    noun = {"over-ear": "Over-Ear Headphones", "on-ear": "On-Ear Headphones", "in-ear": "Earbuds", "open-ear": "Open-Ear Sport Earbuds"}[kind]
    title = f"{brand} {model} {'ANC ' if anc else ''}{'Wireless' if wireless else 'Wired'} {noun}"
    d = [f"The {brand} {model} are {'wireless' if wireless else 'wired'} {kind} headphones"
         + (" with active noise cancelling." if anc else " tuned for clear, balanced sound.")]
    if wireless:
        d.append(f"Battery life is rated at {a['battery_life']} per charge, and they connect over {a['connectivity']}.")
    else:
        d.append(f"They plug in via {a['connectivity']}, so there is nothing to charge.")
    d.append(f"They weigh {a['weight']} and come in {color}.")
    t = 0.05 + 0.35 * anc + 0.15 * wireless + (0.2 if kind == "over-ear" else 0) + r.uniform(-0.05, 0.15)
    lo, hi = (19, 249) if kind in ("in-ear", "open-ear") else (29, 399)
    tags = ["audio"] + (["noise cancelling"] if anc else []) + (["wireless"] if wireless else ["wired"])
    if kind == "open-ear":
        tags.append("running")
    return title, a, d, band(lo, hi, t, r), tags


def mk_phones(r, brand):
    model = r.choice(["Nova", "Orbit", "Zenith", "Flux", "Vista", "Edge", "Prism", "Core"])
    tier = r.random()
    suffix = "Pro" if tier > 0.7 else ("Lite" if tier < 0.3 else "")
    storage = r.choice(["128 GB", "256 GB"]) if tier < 0.7 else r.choice(["256 GB", "512 GB"])
    ram = "6 GB" if tier < 0.3 else ("8 GB" if tier < 0.7 else "12 GB")
    screen = r.choice(["6.1 in", "6.4 in", "6.7 in"])
    bat = r.choice([4200, 4500, 4800, 5000, 5500])
    cam = r.choice([48, 50, 64, 108]) if tier > 0.3 else r.choice([13, 48, 50])
    color = r.choice(["black", "silver", "sky blue", "sage green", "burgundy", "cream"])
    a = {"storage": storage, "ram": ram, "screen": screen, "battery": f"{bat} mAh", "camera": f"{cam} MP",
         "os": "Android", "5g": yn(tier > 0.2), "color": color}
    title = f"{brand} {model}{' ' + suffix if suffix else ''} 5G Smartphone, {storage}, {color.title()}" if a["5g"] == "yes" \
        else f"{brand} {model}{' ' + suffix if suffix else ''} Smartphone, {storage}, {color.title()}"
    d = [f"The {brand} {model}{' ' + suffix if suffix else ''} has a {screen} display, {ram} of RAM and {storage} of storage.",
         f"A {bat} mAh battery keeps it going through a busy day, and the main camera shoots at {cam} MP."]
    if a["5g"] == "yes":
        d.append("It supports 5G networks and runs Android.")
    return title, a, d, band(149, 1299, tier, r), ["phone"]


LAPTOP_CPUS = [("Intel Core i3", 0.0), ("AMD Ryzen 5", 0.25), ("Intel Core i5", 0.3), ("Intel Core Ultra 7", 0.6),
               ("AMD Ryzen 7", 0.55), ("Intel Core i7", 0.6), ("AMD Ryzen 9", 0.85)]


def mk_laptops(r, brand, force=None):
    use = r.choice(["ultrabook", "business", "gaming", "2-in-1", "student"])
    cpu, ct = r.choice(LAPTOP_CPUS)
    ram = r.choice(["8 GB", "16 GB", "16 GB", "32 GB"]) if use != "gaming" else r.choice(["16 GB", "32 GB"])
    storage = r.choice(["256 GB SSD", "512 GB SSD", "512 GB SSD", "1 TB SSD"])
    screen = {"ultrabook": r.choice(["13.3 in", "14 in"]), "business": r.choice(["14 in", "15.6 in"]),
              "gaming": r.choice(["15.6 in", "16 in", "17.3 in"]), "2-in-1": r.choice(["13.3 in", "14 in"]),
              "student": r.choice(["14 in", "15.6 in"])}[use]
    weight = {"ultrabook": r.choice([1.1, 1.2, 1.3]), "business": r.choice([1.4, 1.6]), "gaming": r.choice([2.2, 2.4, 2.7]),
              "2-in-1": r.choice([1.3, 1.4]), "student": r.choice([1.5, 1.7, 1.8])}[use]
    bl = {"gaming": r.choice([5, 6]), "student": r.choice([8, 10])}.get(use, r.choice([10, 12, 14, 16]))
    gpu = r.choice(["NVIDIA GeForce RTX 4060", "NVIDIA GeForce RTX 4070"]) if use == "gaming" else "integrated"
    if force:
        cpu, ram, storage, screen, weight, bl, gpu, use = force[:8]
    model = {"ultrabook": r.choice(["AirBook", "Slate", "Feather"]), "business": r.choice(["ProBook", "Workmate", "Ledger"]),
             "gaming": r.choice(["Raptor", "Blaze", "Vortex"]), "2-in-1": r.choice(["Flip", "Fold", "Swivel"]),
             "student": r.choice(["Campus", "Scholar", "Notebook"])}[use]
    if force:
        model = force[8]
    a = {"cpu": cpu, "ram": ram, "storage": storage, "screen": screen, "weight": f"{weight} kg",
         "battery_life": f"{bl} h", "gpu": gpu, "use": use, "color": r.choice(["silver", "graphite", "black", "sand"])}
    size = screen.split()[0]
    label = {"ultrabook": "Ultralight Laptop", "business": "Business Laptop", "gaming": "Gaming Laptop",
             "2-in-1": "2-in-1 Touchscreen Laptop", "student": "Laptop"}[use]
    title = f"{brand} {model} {size}\" {label}, {cpu}, {ram} RAM, {storage}"
    d = [f"The {brand} {model} is a {screen} {use} laptop powered by an {cpu} processor with {ram} of RAM and a {storage}."]
    if gpu != "integrated":
        d.append(f"A dedicated {gpu} graphics card handles modern games at high settings.")
    d.append(f"It weighs {weight} kg and is rated for up to {bl} h of battery life.")
    t = ct * 0.4 + {"8 GB": 0, "16 GB": 0.15, "32 GB": 0.3}[ram] + {"256 GB SSD": 0, "512 GB SSD": 0.07, "1 TB SSD": 0.15}[storage] \
        + (0.25 if use == "gaming" else 0) - (0.1 if use == "student" else 0)
    return title, a, d, band(399, 2499, t, r), ["computer"] + (["gaming"] if use == "gaming" else [])


def mk_watches(r, brand):
    model = r.choice(["Stride", "Pulse", "Vital", "Summit", "Loop", "Motion", "Active"])
    gps = r.random() < 0.65
    case = r.choice([40, 42, 44, 46])
    days = r.choice([2, 5, 7, 10, 14, 21])
    wr = r.choice(["5 ATM", "10 ATM"])
    color = r.choice(["black", "silver", "rose", "olive", "white"])
    a = {"case_size": f"{case} mm", "battery_life": f"{days} days", "gps": yn(gps), "water_resistance": wr,
         "heart_rate": "yes", "display": r.choice(["AMOLED", "transflective LCD"]), "color": color}
    kind = "GPS Running Smartwatch" if gps else "Fitness Smartwatch"
    title = f"{brand} {model} {case} mm {kind}"
    d = [f"The {brand} {model} has a {case} mm case with an {a['display']} display and heart rate tracking.",
         f"Battery life is up to {days} days and it is water resistant to {wr}."]
    if gps:
        d.append("Built-in GPS records pace and distance without your phone.")
    return title, a, d, band(49, 499, 0.2 + 0.35 * gps + days / 60 + r.uniform(0, 0.2), r), ["wearable", "fitness"]


def mk_monitors(r, brand):
    size = r.choice([24, 27, 27, 32, 34])
    res = {24: r.choice(["1920x1080", "2560x1440"]), 27: r.choice(["2560x1440", "3840x2160"]),
           32: r.choice(["2560x1440", "3840x2160"]), 34: "3440x1440"}[size]
    hz = r.choice([60, 75, 144, 165, 240])
    panel = r.choice(["IPS", "IPS", "VA", "OLED"])
    model = r.choice(["ViewPro", "Clarity", "Horizon", "Canvas", "Apex"])
    usbc = r.random() < 0.5
    a = {"screen": f"{size} in", "resolution": res, "refresh_rate": f"{hz} Hz", "panel": panel,
         "usb_c": yn(usbc), "color": r.choice(["black", "silver", "white"])}
    kind = "Gaming Monitor" if hz >= 144 else "Monitor"
    if size == 34:
        kind = "Ultrawide " + kind
    title = f"{brand} {model} {size}\" {res} {panel} {kind}"
    d = [f"The {brand} {model} is a {size} in {panel} monitor with a resolution of {res} and a {hz} Hz refresh rate."]
    if usbc:
        d.append("A single USB-C cable carries video, data and power to your laptop.")
    d.append("The stand adjusts for height and tilt.")
    t = {24: 0, 27: 0.15, 32: 0.3, 34: 0.35}[size] + (0.2 if "3840" in res else 0) + hz / 800 + (0.25 if panel == "OLED" else 0)
    return title, a, d, band(129, 999, t, r), ["computer", "display"] + (["gaming"] if hz >= 144 else [])


def mk_gaming(r, brand):
    kind = r.choice(["keyboard", "keyboard", "mouse", "mouse", "headset", "controller"])
    model = r.choice(["Strike", "Fang", "Spectre", "Titan", "Ronin", "Viper", "Nova"])
    color = r.choice(["black", "white", "graphite"])
    if kind == "keyboard":
        layout = r.choice(["full-size", "TKL", "75%", "65%"])
        sw = r.choice(["linear red", "tactile brown", "clicky blue", "optical linear"])
        wl = r.random() < 0.4
        a = {"layout": layout, "switches": sw, "wireless": yn(wl), "backlight": "RGB", "color": color}
        title = f"{brand} {model} {layout} Mechanical Gaming Keyboard, {sw.title()} Switches"
        d = [f"A {layout} mechanical keyboard with {sw} switches and per-key RGB backlight.",
             "It connects wirelessly with a low-latency dongle." if wl else "It connects over a braided USB-C cable."]
        t = 0.3 + 0.3 * wl + r.uniform(0, 0.3)
    elif kind == "mouse":
        dpi = r.choice([12000, 16000, 26000, 30000])
        w = r.choice([58, 63, 72, 85, 99])
        wl = r.random() < 0.6
        a = {"dpi": f"{dpi} DPI", "weight": f"{w} g", "wireless": yn(wl), "buttons": str(r.choice([5, 6, 8])), "color": color}
        title = f"{brand} {model} {'Wireless ' if wl else ''}Gaming Mouse, {dpi} DPI, {w} g"
        d = [f"The {model} gaming mouse weighs just {w} g and its sensor reaches {dpi} DPI.",
             f"It has {a['buttons']} programmable buttons" + (" and connects wirelessly." if wl else " and a flexible cable.")]
        t = 0.15 + 0.3 * wl + (0.2 if w < 65 else 0) + r.uniform(0, 0.2)
    elif kind == "headset":
        bl = r.choice([20, 30, 40, 70])
        a = {"type": "over-ear", "wireless": "yes", "battery_life": f"{bl} h", "microphone": "detachable", "color": color}
        title = f"{brand} {model} Wireless Gaming Headset with Detachable Mic"
        d = [f"A wireless over-ear gaming headset with a detachable microphone and {bl} h of battery life.",
             "Memory foam ear cushions keep long sessions comfortable."]
        t = 0.4 + bl / 200 + r.uniform(0, 0.2)
    else:
        bl = r.choice([15, 20, 40])
        a = {"wireless": "yes", "battery_life": f"{bl} h", "compatibility": "PC and Android", "color": color}
        title = f"{brand} {model} Wireless Game Controller for PC"
        d = [f"A wireless controller compatible with PC and Android, rated for {bl} h per charge.",
             "Hall-effect sticks resist drift."]
        t = 0.25 + r.uniform(0, 0.3)
    return title, a, d, band(19, 229, t, r), ["gaming", "pc accessories", kind]

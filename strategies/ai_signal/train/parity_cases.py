#!/usr/bin/env python3
"""Writes hand-made book and trade sequences with the features features.py computes for them.

ai_signal_features_test runs this, feeds the same events to the plugin's feature code
(strategies/ai_signal/features.hpp) and compares: the model is only as good as the promise
that the plugin computes what training computed. Standard library only, so the test needs
nothing beyond python3.

  /usr/bin/python3 -B parity_cases.py --features FEATURES_JSON --out CASES_JSON

Each case lists its tick and events (books and trades, prices and sizes in the engine's fixed point)
and, for each book, null when the book cannot be priced, or the raw features, whether the
state is ready to ask for a signal, and the normalised inputs as float32 values.
"""

import argparse
import json
import os
import random
import struct
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import features  # noqa: E402

SCALE = features.FIXED_SCALE


def float32(x):
    """x rounded to float32, as the plugin stores a request's inputs."""
    return struct.unpack("f", struct.pack("f", x))[0]


def book(bids, asks):
    return {"book": {"bids": [list(level) for level in bids],
                     "asks": [list(level) for level in asks]}}


def trade(aggressor, price, size):
    return {"trade": {"aggressor": aggressor, "price": price, "size": size}}


def ladder(best, step, sizes, direction):
    """Levels from `best`, `step` apart (fixed point), towards worse prices."""
    return [(best + direction * step * i, size) for i, size in enumerate(sizes)]


def random_walk(seed, books, price, tick, lot, max_levels=10):
    """A walk of `books` books with trades in between: every code path, many times over."""
    rng = random.Random(seed)
    events = []
    mid_ticks = price // tick
    for _ in range(books):
        for _ in range(rng.randint(0, 3)):
            side = rng.choice((features.BUY, features.SELL))
            at = mid_ticks + (1 if side == features.BUY else -1)
            events.append(trade(side, at * tick, lot * rng.randint(1, 20)))
        mid_ticks += rng.randint(-2, 2)
        spread = rng.randint(1, 4)
        bid = (mid_ticks - spread // 2) * tick
        ask = bid + spread * tick
        bids = ladder(bid, tick * rng.randint(1, 3),
                      [lot * rng.randint(1, 50) for _ in range(rng.randint(1, max_levels))], -1)
        asks = ladder(ask, tick * rng.randint(1, 3),
                      [lot * rng.randint(1, 50) for _ in range(rng.randint(1, max_levels))], 1)
        events.append(book(bids, asks))
    return events


def cases():
    """The sequences, as (name, tick in fixed point, events)."""
    tick = SCALE // 100  # 0.01
    lot = 100 * SCALE
    out = [("random walk, A-share lots", tick, random_walk(7, 160, 10 * SCALE, tick, lot))]
    out.append(("random walk, thin books", tick, random_walk(11, 140, 1700 * SCALE, tick, lot,
                                                                max_levels=2)))
    # Crypto scale: a price of 61,837.63 and sizes of a few hundred-thousandths of a coin.
    out.append(("random walk, BTCUSDT-like", tick,
                random_walk(3, 130, 6183763 * tick, tick, 12345)))
    p = 1000 * tick  # 10.00
    unpriceable = [
        trade(features.BUY, p, lot),  # before any book: counted in the first valid one's flow
        trade(features.SELL, p, 3 * lot),
        book([], ladder(p + tick, tick, [lot], 1)),  # no bids
        book(ladder(p, tick, [lot], -1), []),  # no asks
        book(ladder(p + tick, tick, [lot], -1), ladder(p, tick, [lot], 1)),  # crossed
        book(ladder(p, tick, [lot], -1), ladder(p, tick, [lot], 1)),  # locked
        book(ladder(p, tick, [0], -1), ladder(p + tick, tick, [lot], 1)),  # no size at the bid
        book(ladder(p, tick, [lot, 2 * lot], -1), ladder(p + tick, tick, [5 * lot], 1)),
        trade(0, p, lot),  # no aggressor: volume without a sign
        book(ladder(p, tick, [lot], -1), ladder(p + 2 * tick, tick, [lot, lot, lot], 1)),
    ]
    out.append(("unpriceable books and unsigned trades", tick, unpriceable))
    # A crash then a one-sided flood of buying: every input far outside its training range.
    extreme = [book(ladder(p, tick, [lot] * 10, -1), ladder(p + tick, tick, [lot] * 10, 1))
               for _ in range(101)]
    extreme.append(trade(features.BUY, p // 2, 10000 * lot))
    extreme.append(book(ladder(p // 2, tick, [10000 * lot] * 10, -1),
                        ladder(p // 2 + 300 * tick, 50 * tick, [lot] * 10, 1)))
    out.append(("clipped inputs", tick, extreme))
    # A tick that is not a power of ten, as on futures books.
    tick = 5 * SCALE // 100
    out.append(("random walk, tick 0.05", tick, random_walk(5, 120, 20 * SCALE, tick, lot)))
    return out


def expected(events, tick, norm):
    """features.py's answer for every book of a case, in order."""
    state = features.FeatureState()
    out = []
    for e in events:
        if "trade" in e:
            t = e["trade"]
            state.on_trade(t["aggressor"], t["price"], t["size"])
            continue
        b = features.Book(e["book"]["bids"], e["book"]["asks"])
        raw = state.on_book(b, tick)
        if raw is None:
            out.append(None)
            continue
        z = features.normalize(raw, norm["mean"], norm["std"], norm["clip"])
        out.append({"ready": state.ready(), "raw": raw, "normalized": [float32(v) for v in z]})
    return out


def read_normalisation(path):
    with open(path) as f:
        doc = json.load(f)
    return {"mean": [f["mean"] for f in doc["features"]],
            "std": [f["std"] for f in doc["features"]], "clip": doc["clip"],
            "names": [f["name"] for f in doc["features"]]}


def main(argv):
    p = argparse.ArgumentParser(description="feature parity cases for the C++ test")
    p.add_argument("--features", required=True, help="the model's features.json")
    p.add_argument("--out", required=True, help="where to write the cases (JSON)")
    args = p.parse_args(argv)
    norm = read_normalisation(args.features)
    if norm["names"] != list(features.FEATURE_NAMES):
        sys.exit("parity_cases.py: %s names other features than features.py" % args.features)
    doc = {"feature_names": list(features.FEATURE_NAMES), "mean": norm["mean"],
           "std": norm["std"], "clip": norm["clip"], "cases": []}
    for name, tick, events in cases():
        doc["cases"].append({"name": name, "tick": tick, "events": events,
                             "expected": expected(events, features.to_double(tick), norm)})
    with open(args.out, "w") as f:
        json.dump(doc, f)


if __name__ == "__main__":
    main(sys.argv[1:])

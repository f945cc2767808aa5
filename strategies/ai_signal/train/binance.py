"""Real training data: Binance spot BTCUSDT from hftbacktest's WebSocket recording.

The file is read where the shared data directory keeps it (hftbacktest/spot/btcusdt_20240808.gz,
described in that directory's README); nothing is copied. The events are the ones the engine's
replay of the same file delivers to a strategy (adapters/replay/hftbacktest_import.hpp), so the
features seen in training are the features the plugin computes on that replay:

- depth updates are applied to a full book synced with the REST snapshot by Binance's rule
  (updates before the snapshot kept, those it already covers dropped), and a book of the top
  ten levels a side is emitted whenever those levels change;
- every trade is emitted, buyer-initiated unless `m` (the buyer was the maker) is true.

bookTicker quotes are skipped: the plugin's features come from books and trades only.
"""

import gzip
import heapq
import json
import os

from features import Book, BUY, SELL

PATH = os.path.join("hftbacktest", "spot", "btcusdt_20240808.gz")
TICK = 0.01


def to_fixed(text):
    """A decimal string ("61837.63000000") to the engine's fixed point, exactly (no float)."""
    negative = text.startswith("-")
    if negative:
        text = text[1:]
    whole, _, fraction = text.partition(".")
    fraction = (fraction + "0" * 8)[:8]
    value = int(whole or "0") * 100000000 + int(fraction)
    return -value if negative else value


class _DepthBook:
    """The full book: price -> size per side, with the top ten levels on demand."""

    def __init__(self):
        self.bids, self.asks = {}, {}

    def set_levels(self, side, levels):
        for price_text, size_text in levels:
            price, size = to_fixed(price_text), to_fixed(size_text)
            if size == 0:
                side.pop(price, None)
            else:
                side[price] = size

    def top(self):
        bids = [(p, self.bids[p]) for p in heapq.nlargest(10, self.bids)]
        asks = [(p, self.asks[p]) for p in heapq.nsmallest(10, self.asks)]
        return bids, asks


def load(data_dir):
    """The recording's events as one stream: [("binance BTCUSDT", tick, events)].

    Raises FileNotFoundError naming the path when the data is not there.
    """
    path = os.path.join(data_dir, PATH)
    if not os.path.isfile(path):
        raise FileNotFoundError(path)
    book = _DepthBook()
    pending = []  # depth updates before the snapshot
    synced, bridged, snapshot_id = False, False, 0
    shown = None
    events = []

    def publish():
        nonlocal shown
        top = book.top()
        if top != shown:
            events.append(("book", Book(*top)))
            shown = top

    def apply(update):
        nonlocal bridged
        bridged = True
        book.set_levels(book.bids, update["b"])
        book.set_levels(book.asks, update["a"])

    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            _, _, text = line.partition(" ")
            message = json.loads(text)
            if "stream" not in message:
                if "lastUpdateId" in message:  # the REST snapshot
                    book.bids.clear()
                    book.asks.clear()
                    book.set_levels(book.bids, message["bids"])
                    book.set_levels(book.asks, message["asks"])
                    synced, bridged, snapshot_id = True, False, message["lastUpdateId"]
                    for update in pending:
                        if bridged or update["u"] > snapshot_id:
                            apply(update)
                    pending = []
                    publish()
                continue
            stream, data = message["stream"], message["data"]
            if "@depth" in stream:
                if not synced:
                    pending.append(data)
                elif bridged or data["u"] > snapshot_id:
                    apply(data)
                    publish()
            elif stream.endswith("@trade"):
                aggressor = SELL if data["m"] else BUY
                events.append(("trade", aggressor, to_fixed(data["p"]), to_fixed(data["q"])))
    return [("binance BTCUSDT", TICK, events)]

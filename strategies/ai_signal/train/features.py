"""The ai_signal feature vector, computed exactly as the plugin computes it.

This module is the Python half of one definition whose C++ half is
strategies/ai_signal/features.hpp. The two must agree number for number on the same
events, because the model is trained on what this module produces and then fed what the
plugin produces; the test ai_signal_features_test checks that they do. Change one, change
the other, and bump FEATURE_SET.

Only the standard library is used, so that the parity test needs nothing installed beyond
python3. Prices and sizes arrive as the engine's fixed-point integers (8 decimals) and are
converted with the same single division the plugin's SDK uses, so that every later
floating-point operation sees the same operands in the same order.
"""

import math

FIXED_SCALE = 100000000  # GUIJU_FIXED_SCALE
FEATURE_SET = 1  # bump on any change to the definitions below

IMBALANCE_LEVELS = (1, 3, 5, 10)
RETURN_HORIZONS = (1, 5, 20, 100)  # in valid book updates
FLOW_WINDOWS = (10, 50)  # in trades
BUY, SELL = 1, 2  # GUIJU_BUY, GUIJU_SELL

FEATURE_NAMES = (
    "imbalance_l1",
    "imbalance_l3",
    "imbalance_l5",
    "imbalance_l10",
    "log_spread_ticks",
    "spread_bps",
    "microprice_dev_bps",
    "return_1_bps",
    "return_5_bps",
    "return_20_bps",
    "return_100_bps",
    "trade_flow_10",
    "trade_flow_50",
    "flow_since_book",
    "level2_gap_ticks",
    "last_trade_dev_bps",
)
FEATURE_COUNT = len(FEATURE_NAMES)
HISTORY = max(RETURN_HORIZONS) + 1  # mids kept: the current one and the oldest horizon's


def to_double(raw):
    """Converts a fixed-point integer the way guiju::sdk::to_double does (one division)."""
    return raw / 1e8


class Book:
    """One order-book update: up to ten (price, size) levels a side, best first, in fixed point.

    Kept as integers so that a book written to JSON for the parity test reads back into the
    C++ guiju_book bit for bit.
    """

    __slots__ = ("bids", "asks")

    def __init__(self, bids, asks):
        self.bids = [(int(p), int(s)) for p, s in bids[:10]]
        self.asks = [(int(p), int(s)) for p, s in asks[:10]]

    def is_valid(self):
        """Two sides, sizes at the touch, and not crossed or locked: a market one can price."""
        if not self.bids or not self.asks:
            return False
        (bid, bid_size), (ask, ask_size) = self.bids[0], self.asks[0]
        return bid_size > 0 and ask_size > 0 and bid < ask


def _side_depth(levels, n):
    """Sum of the first n levels' sizes, best first, accumulated in that order."""
    total = 0.0
    for _, size in levels[:n]:
        total += to_double(size)
    return total


def imbalance(book, n):
    """(bid depth - ask depth) / (bid depth + ask depth) over the top n levels; 0 when empty."""
    bid_depth = _side_depth(book.bids, n)
    ask_depth = _side_depth(book.asks, n)
    total = bid_depth + ask_depth
    return (bid_depth - ask_depth) / total if total > 0 else 0.0


class FeatureState:
    """One instrument's rolling state: the recent mids and trades the features look back on."""

    def __init__(self):
        self.mids = []  # the last HISTORY mids of valid books, oldest first
        self.trades = []  # the last max(FLOW_WINDOWS) trades as (signed size, size)
        self.pending_signed = 0.0  # signed volume of the trades since the last valid book
        self.last_trade_price = None

    def on_trade(self, aggressor, price_raw, size_raw):
        """Records a public trade; the aggressor's side signs its size."""
        size = to_double(size_raw)
        signed = size if aggressor == BUY else (-size if aggressor == SELL else 0.0)
        self.trades.append((signed, size))
        if len(self.trades) > max(FLOW_WINDOWS):
            del self.trades[0]
        self.pending_signed += signed
        self.last_trade_price = to_double(price_raw)

    def ready(self):
        """True once every return horizon has history: the plugin asks for no signal before."""
        return len(self.mids) >= HISTORY

    def _flow(self, window):
        """Signed over total size of the last `window` trades, newest first; 0 without trades."""
        signed_sum, size_sum = 0.0, 0.0
        for signed, size in reversed(self.trades[-window:]):
            signed_sum += signed
            size_sum += size
        return signed_sum / size_sum if size_sum > 0 else 0.0

    def on_book(self, book, tick):
        """Updates the state with a book and returns its raw features, or None for a book that
        cannot be priced (one-sided, crossed), which leaves the state as it was."""
        if not book.is_valid():
            return None
        bid, bid_size = to_double(book.bids[0][0]), to_double(book.bids[0][1])
        ask, ask_size = to_double(book.asks[0][0]), to_double(book.asks[0][1])
        mid = (bid + ask) / 2.0
        spread = ask - bid
        self.mids.append(mid)
        if len(self.mids) > HISTORY:
            del self.mids[0]

        out = [imbalance(book, n) for n in IMBALANCE_LEVELS]
        out.append(math.log(spread / tick))
        out.append(spread / mid * 1e4)
        micro = (bid * ask_size + ask * bid_size) / (bid_size + ask_size)
        out.append((micro - mid) / mid * 1e4)
        for k in RETURN_HORIZONS:
            if len(self.mids) > k:
                past = self.mids[-1 - k]
                out.append((mid - past) / past * 1e4)
            else:
                out.append(0.0)
        for window in FLOW_WINDOWS:
            out.append(self._flow(window))
        out.append(self.pending_signed / (bid_size + ask_size))
        self.pending_signed = 0.0
        if len(book.bids) >= 2 and len(book.asks) >= 2:
            bid2, ask2 = to_double(book.bids[1][0]), to_double(book.asks[1][0])
            out.append(((ask2 - ask) - (bid - bid2)) / tick)
        else:
            out.append(0.0)
        if self.last_trade_price is not None:
            out.append((self.last_trade_price - mid) / mid * 1e4)
        else:
            out.append(0.0)
        return out


def normalize(raw, means, stds, clip):
    """(raw - mean) / std, clipped to [-clip, clip]: what the model's inputs are. Returned as
    doubles; the caller rounds to float32 as the plugin's request does."""
    out = []
    for x, m, s in zip(raw, means, stds):
        z = (x - m) / s
        out.append(min(max(z, -clip), clip))
    return out

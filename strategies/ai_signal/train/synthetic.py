"""A seeded synthetic order book with order-flow pressure, for training data anyone can regenerate.

It follows the engine's own synthetic market (adapters/replay/synthetic_market.hpp): per
instrument a mean-reverting mid in ticks, a spread of a few basis points in whole ticks, ten
levels a side one spacing apart with sizes in lots that grow with depth, and now and then a
trade at the touch. Each update emits the trade (if any) and then the book, as the engine does.

What it adds is a hidden, persistent order-flow pressure (an AR(1) process). The pressure tilts
the sizes at the top three levels towards the side it favours, makes trades more likely to be
initiated from that side, and drifts the mid in its direction over the following updates. That
is the textbook story of why book imbalance and trade flow predict short-term moves, so the
model has something real to find, and how well it finds it can be checked against the known
truth. With pressure_strength=0 the market is the engine's: a near random walk with nothing
to predict.

Only the standard library's random.Random is used, so a seed gives the same events anywhere.
"""

import math
import random

from features import Book, BUY, SELL

FIXED_SCALE = 100000000


class Instrument:
    """A synthetic name: its price level, tick and lot, like one line of a replay config."""

    def __init__(self, symbol, previous_close, tick=0.01, lot=100):
        self.symbol = symbol
        self.previous_close = previous_close
        self.tick = tick
        self.lot = lot


# Names like those of strategies/ai_signal/config.yaml. The CNY 11 bank of the config is left
# out: with the config's two ticks of noise per update its mid moves tens of basis points a
# book, which would set the scale of every return feature for the other names.
DEFAULT_INSTRUMENTS = (
    Instrument("600519", 1700.00),
    Instrument("300750", 210.50),
    Instrument("688981", 52.30, lot=200),
)


class Options:
    """The generator's knobs; the defaults match the sample config's synthetic market."""

    def __init__(self, **overrides):
        self.mean_reversion = 0.01  # fraction of the distance to the anchor closed per update
        self.volatility_ticks = 2.0  # stdev of the mid's own move per update
        self.trade_probability = 0.35
        self.pressure_persistence = 0.95  # AR(1) coefficient of the hidden pressure
        self.pressure_strength = 1.0  # 0: no pressure at all (the engine's market)
        self.drift_ticks = 0.5  # mid drift per update per unit of pressure
        self.size_tilt = 0.6  # log-size tilt of the top three levels per unit of pressure
        self.flow_tilt = 1.2  # logit of a buyer-initiated trade per unit of pressure
        for key, value in overrides.items():
            if not hasattr(self, key):
                raise ValueError("unknown synthetic option " + key)
            setattr(self, key, value)


def _fixed(value):
    """A price or size in the engine's fixed point, rounded to the nearest raw unit."""
    return int(round(value * FIXED_SCALE))


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


class _State:
    """One instrument's hidden state: where its mid is, what pushes it."""

    def __init__(self, instrument, rng):
        self.instrument = instrument
        self.anchor = round(instrument.previous_close / instrument.tick)
        self.mid = float(self.anchor)  # in ticks
        self.pressure = 0.0
        self.spread_bps = 1.0 + 4.0 * rng.random()


def _update(state, rng, options):
    """One update of one instrument: the trade (or None) and the book, in emission order."""
    inst = state.instrument
    strength = options.pressure_strength
    before = state.mid
    # The move uses the pressure the last book already showed: that is what makes it predictable.
    state.mid += (options.mean_reversion * (state.anchor - state.mid)
                  + options.volatility_ticks * rng.gauss(0.0, 1.0)
                  + strength * options.drift_ticks * state.pressure)
    phi = options.pressure_persistence
    state.pressure = phi * state.pressure + math.sqrt(1.0 - phi * phi) * rng.gauss(0.0, 1.0)

    price = state.mid * inst.tick
    spread_ticks = max(1, round(price * state.spread_bps * (0.5 + rng.random()) / 1e4 / inst.tick))
    bid_ticks = math.floor(state.mid - spread_ticks / 2.0)
    ask_ticks = bid_ticks + spread_ticks
    gap = max(1, spread_ticks // 2)
    tilt = strength * options.size_tilt * state.pressure

    trade = None
    if rng.random() < options.trade_probability:
        moved_up = state.mid >= before
        logit = strength * options.flow_tilt * state.pressure + (0.5 if moved_up else -0.5)
        aggressor = BUY if rng.random() < _sigmoid(logit) else SELL
        touch = ask_ticks if aggressor == BUY else bid_ticks
        size = _fixed(inst.lot * rng.randint(1, 10))
        trade = ("trade", aggressor, _fixed(touch * inst.tick), size)

    bids, asks = [], []
    for level in range(10):
        bid_lots = rng.randint(1 + level, 8 + 6 * level)
        ask_lots = rng.randint(1 + level, 8 + 6 * level)
        if level < 3:
            bid_lots = max(1, round(bid_lots * math.exp(tilt)))
            ask_lots = max(1, round(ask_lots * math.exp(-tilt)))
        bids.append((_fixed((bid_ticks - gap * level) * inst.tick), _fixed(inst.lot * bid_lots)))
        asks.append((_fixed((ask_ticks + gap * level) * inst.tick), _fixed(inst.lot * ask_lots)))
    book = ("book", Book(bids, asks))
    return [trade, book] if trade else [book]


def generate(seed, updates_per_instrument, instruments=DEFAULT_INSTRUMENTS, options=None):
    """The event streams of a synthetic session: one (symbol, tick, events) per instrument.

    Updates pick an instrument at random, as the engine's generator does, until every
    instrument has had `updates_per_instrument` of them on average.
    """
    options = options or Options()
    rng = random.Random(seed)
    states = [_State(inst, rng) for inst in instruments]
    events = {inst.symbol: [] for inst in instruments}
    for _ in range(updates_per_instrument * len(instruments)):
        state = states[rng.randrange(len(states))]
        events[state.instrument.symbol].extend(_update(state, rng, options))
    return [("synthetic " + inst.symbol, inst.tick, events[inst.symbol]) for inst in instruments]

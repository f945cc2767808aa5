/* Guiju strategy plugin ABI (C and C++).
 *
 * A plugin is a shared library that exports one function, guiju_strategy_plugin, returning a
 * description of the strategy type it provides: its ABI version, its name and its callbacks.
 * The engine calls the callbacks on its own thread, one at a time; a strategy never needs a
 * lock. The callbacks call back into the engine through guiju_host_api.
 *
 * Stability: the engine loads a plugin whose ABI major equals its own; a minor version only adds
 * members at the end of guiju_host_api and guiju_strategy_callbacks (each carries its own size,
 * so either side can tell what the other has). Nothing here is a C++ type, and no exception may
 * cross this boundary: a callback reports failure by returning non-zero after host->fail().
 *
 * Units: prices and quantities are fixed point with 8 decimals (1.0 == 100000000); money
 * (fees, PnL) likewise; times are UTC nanoseconds; durations nanoseconds. */
#ifndef GUIJU_STRATEGY_H
#define GUIJU_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GUIJU_ABI_MAJOR 1
#define GUIJU_ABI_MINOR 0
#define GUIJU_FIXED_SCALE 100000000LL
#define GUIJU_ENTRY_SYMBOL "guiju_strategy_plugin"
#define GUIJU_BOOK_DEPTH 10
#define GUIJU_MAX_SIGNAL_INPUTS 32
#define GUIJU_MAX_SIGNAL_OUTPUTS 8

typedef int64_t guiju_fixed; /* 8 decimals: prices, quantities, money */
typedef int64_t guiju_time;  /* UTC ns, or a duration in ns */
typedef uint32_t guiju_instrument;
typedef uint64_t guiju_order_id; /* 0: none */
typedef uint64_t guiju_timer_id; /* 0: none */

enum { GUIJU_BUY = 1, GUIJU_SELL = 2 };
enum { GUIJU_LIMIT = 1, GUIJU_MARKET = 2 };
enum { GUIJU_DAY = 1, GUIJU_IOC = 2, GUIJU_FOK = 3 };
enum {
  GUIJU_PENDING_NEW = 1,
  GUIJU_NEW = 2,
  GUIJU_PARTIALLY_FILLED = 3,
  GUIJU_FILLED = 4,
  GUIJU_PENDING_CANCEL = 5,
  GUIJU_PENDING_REPLACE = 6,
  GUIJU_CANCELED = 7,
  GUIJU_REPLACED = 8,
  GUIJU_REJECTED = 9,
  GUIJU_EXPIRED = 10
};
enum { GUIJU_LOG_DEBUG = 0, GUIJU_LOG_INFO = 1, GUIJU_LOG_WARN = 2, GUIJU_LOG_ERROR = 3 };
/* Why the engine refused an order (guiju_result.reject_code, guiju_order.reject_code): the codes a
 * strategy may act on. Any other non-zero code is a refusal too; guiju_result.reason says why. */
enum {
  GUIJU_REJECT_RISK = 10,         /* a pre-trade check */
  GUIJU_REJECT_VENUE = 11,        /* the venue refused it */
  GUIJU_REJECT_THROTTLED = 17,    /* the order-message rate: hold back before sending again */
  GUIJU_REJECT_KILL_SWITCH = 18,  /* engaged for the account, the strategy or everything */
  GUIJU_REJECT_MARKET_RULE = 19,  /* an exchange rule (price band, lot size, T+1...) */
  GUIJU_REJECT_SESSION_DOWN = 20, /* the order session to the venue is down */
  GUIJU_REJECT_SELF_TRADE = 21    /* it would trade against a resting order of its own group */
};

/* Market data, as the engine received it. */
typedef struct guiju_quote {
  guiju_instrument instrument;
  uint32_t reserved;
  guiju_time event_time; /* exchange time */
  guiju_fixed bid_price, bid_size, ask_price, ask_size;
} guiju_quote;

typedef struct guiju_level {
  guiju_fixed price, size;
} guiju_level;

typedef struct guiju_book {
  guiju_instrument instrument;
  uint32_t bid_levels, ask_levels; /* valid entries in bids / asks, best first */
  uint32_t reserved;
  guiju_time event_time;
  guiju_level bids[GUIJU_BOOK_DEPTH];
  guiju_level asks[GUIJU_BOOK_DEPTH];
} guiju_book;

typedef struct guiju_trade {
  guiju_instrument instrument;
  uint32_t aggressor; /* GUIJU_BUY or GUIJU_SELL */
  guiju_time event_time;
  guiju_fixed price, size;
  uint64_t trade_id;
} guiju_trade;

/* One of this strategy's orders. */
typedef struct guiju_order {
  guiju_order_id id;
  guiju_order_id replaces;    /* the order this one replaced, or 0 */
  guiju_order_id replaced_by; /* its replacement, once requested, or 0 */
  guiju_instrument instrument;
  uint8_t side, type, tif, state; /* GUIJU_BUY.., GUIJU_LIMIT.., GUIJU_DAY.., GUIJU_NEW.. */
  uint8_t is_open;                /* working (or pending a change) at the venue */
  uint8_t awaiting_confirm;       /* a replacement the venue has not confirmed yet: not working */
  uint8_t reserved[2];
  int32_t reject_code; /* why it was rejected; 0 otherwise */
  guiju_fixed price, quantity, filled, average_fill_price;
  guiju_time created, last_update;
} guiju_order;

typedef struct guiju_fill {
  uint64_t exec_id;
  guiju_fixed price, quantity, fees;
  guiju_time time;
} guiju_fill;

typedef struct guiju_position {
  guiju_instrument instrument;
  uint32_t reserved;
  guiju_fixed quantity; /* signed: negative is short */
  guiju_fixed average_cost, realized_pnl, fees;
} guiju_position;

typedef struct guiju_instrument_info {
  guiju_instrument id;
  uint32_t reserved;
  char symbol[16], venue[8];
  guiju_fixed tick_size, lot_size, previous_close;
} guiju_instrument_info;

typedef struct guiju_order_request {
  guiju_instrument instrument;
  uint8_t side, type, tif, reserved;
  guiju_fixed price; /* ignored for market orders */
  guiju_fixed quantity;
} guiju_order_request;

/* What submit, cancel and replace answer at once: accepted (reject_code 0) with the order's id,
 * or refused before anything was sent, with the engine's reason (static text). */
typedef struct guiju_result {
  guiju_order_id order_id;
  int32_t reject_code;
  uint32_t reserved;
  const char* reason;
} guiju_result;

typedef struct guiju_signal_request {
  uint32_t model_id;
  guiju_instrument instrument;
  guiju_time deadline; /* absolute; no answer by then means on_signal_timeout */
  uint32_t input_count;
  uint32_t reserved;
  float inputs[GUIJU_MAX_SIGNAL_INPUTS];
} guiju_signal_request;

typedef struct guiju_signal {
  uint64_t request_id;
  uint32_t model_id;
  uint32_t status; /* 0: ok; otherwise the service's error */
  guiju_time latency;
  uint32_t output_count;
  uint32_t reserved;
  float outputs[GUIJU_MAX_SIGNAL_OUTPUTS];
} guiju_signal;

typedef struct guiju_host guiju_host; /* the engine's side of one strategy; opaque */

/* What a strategy may ask of the engine. Every call is synchronous, on the engine thread, and
 * valid only during a callback. Queries return 1 and fill *out when found, 0 otherwise. */
typedef struct guiju_host_api {
  uint32_t struct_size;
  uint16_t abi_major, abi_minor;

  guiju_result (*submit)(guiju_host* host, const guiju_order_request* request);
  guiju_result (*cancel)(guiju_host* host, guiju_order_id order);
  /* New price and new total quantity; the order works on its old terms until confirmed. */
  guiju_result (*replace)(guiju_host* host, guiju_order_id order, guiju_fixed price,
                          guiju_fixed quantity);

  /* A timer `delay` from now; period > 0 repeats it. Returns its id. */
  guiju_timer_id (*set_timer)(guiju_host* host, guiju_time delay, guiju_time period);
  int (*cancel_timer)(guiju_host* host, guiju_timer_id timer);
  guiju_time (*now)(const guiju_host* host);

  int (*instrument)(const guiju_host* host, guiju_instrument id, guiju_instrument_info* out);
  int (*find_instrument)(const guiju_host* host, const char* symbol, guiju_instrument* out);
  /* The instruments this strategy is subscribed to, in config order. */
  uint32_t (*subscriptions)(const guiju_host* host, guiju_instrument* out, uint32_t capacity);
  int (*book)(const guiju_host* host, guiju_instrument id, guiju_book* out);
  int (*order)(const guiju_host* host, guiju_order_id id, guiju_order* out);
  int (*position)(const guiju_host* host, guiju_instrument id, guiju_position* out);
  /* This strategy's open orders; returns how many there are (may exceed capacity). */
  uint32_t (*open_orders)(const guiju_host* host, guiju_order* out, uint32_t capacity);

  /* Asks the inference service; returns the request id, or 0 when it cannot be sent. */
  uint64_t (*request_signal)(guiju_host* host, const guiju_signal_request* request);

  void (*log)(guiju_host* host, int level, const char* message);

  /* Typed parameters from the strategy's config. Return 1 with *out set (the fallback when the
   * key is absent), or 0 when the value is malformed or out of [min, max]: the engine then
   * refuses the strategy, naming it and the key. Only during create. */
  int (*param_int)(guiju_host* host, const char* key, int64_t fallback, int64_t min, int64_t max,
                   int64_t* out);
  int (*param_double)(guiju_host* host, const char* key, double fallback, double min, double max,
                      double* out);
  int (*param_bool)(guiju_host* host, const char* key, int fallback, int* out);
  int (*param_fixed)(guiju_host* host, const char* key, guiju_fixed fallback, guiju_fixed* out);
  /* Copies at most capacity - 1 bytes and a NUL; returns 0 if it did not fit. */
  int (*param_string)(guiju_host* host, const char* key, const char* fallback, char* out,
                      size_t capacity);

  /* Says why the callback about to return non-zero failed; the engine quarantines the strategy
   * with this reason. */
  void (*fail)(guiju_host* host, const char* reason);
} guiju_host_api;

/* The strategy's side. `self` is what create returned. Every callback but destroy returns 0 on
 * success; non-zero quarantines the strategy (its orders are cancelled, no further callbacks).
 * Callbacks a strategy does not need may be NULL. */
typedef struct guiju_strategy_callbacks {
  uint32_t struct_size;
  uint32_t reserved;
  /* Reads parameters, allocates state. NULL refuses the strategy (say why with host->fail). */
  void* (*create)(guiju_host* host, const guiju_host_api* api);
  void (*destroy)(void* self);
  int (*on_start)(void* self);
  int (*on_stop)(void* self);
  int (*on_quote)(void* self, const guiju_quote* quote);
  int (*on_book)(void* self, const guiju_book* book);
  int (*on_trade)(void* self, const guiju_trade* trade);
  int (*on_order_update)(void* self, const guiju_order* order);
  /* Before on_order_update for the same report. */
  int (*on_fill)(void* self, const guiju_order* order, const guiju_fill* fill);
  int (*on_timer)(void* self, guiju_timer_id timer, guiju_time scheduled);
  int (*on_signal)(void* self, const guiju_signal* signal);
  int (*on_signal_timeout)(void* self, uint64_t request_id);
} guiju_strategy_callbacks;

typedef struct guiju_plugin {
  uint16_t abi_major, abi_minor; /* GUIJU_ABI_MAJOR, GUIJU_ABI_MINOR as compiled */
  uint32_t reserved;
  const char* type;    /* the strategy type, e.g. "market_maker" */
  const char* version; /* the plugin's own version, for the audit trail */
  guiju_strategy_callbacks callbacks;
} guiju_plugin;

/* The one symbol a plugin exports. */
typedef const guiju_plugin* (*guiju_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* GUIJU_STRATEGY_H */

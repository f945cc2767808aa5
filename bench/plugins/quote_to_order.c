/* The smallest strategy that decides: one limit buy at the best bid for every quote. The round
 * trip benchmark runs it in process and out of process. */
#include <guiju/strategy.h>
#include <stddef.h>

typedef struct state {
  guiju_host* host;
  const guiju_host_api* api;
} state;

static state g_state;

static void* create(guiju_host* host, const guiju_host_api* api) {
  g_state.host = host;
  g_state.api = api;
  return &g_state;
}
static void destroy(void* self) {
  (void)self;
}

static int on_quote(void* self, const guiju_quote* q) {
  state* s = (state*)self;
  guiju_order_request r = {0};
  r.instrument = q->instrument;
  r.side = GUIJU_BUY;
  r.type = GUIJU_LIMIT;
  r.tif = GUIJU_DAY;
  r.price = q->bid_price;
  r.quantity = 100 * GUIJU_FIXED_SCALE;
  s->api->submit(s->host, &r);
  return 0;
}

static const guiju_plugin kPlugin = {GUIJU_ABI_MAJOR,
                                     GUIJU_ABI_MINOR,
                                     0,
                                     "quote_to_order",
                                     "1.0.0",
                                     {sizeof(guiju_strategy_callbacks), 0, create, destroy, NULL,
                                      NULL, on_quote, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};

__attribute__((visibility("default"))) const guiju_plugin* guiju_strategy_plugin(void) {
  return &kPlugin;
}

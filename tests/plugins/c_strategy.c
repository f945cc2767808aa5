/* A strategy in plain C, against strategy.h alone: on every quote it bids one lot at the best
 * bid until it has `max_orders` orders working, and cancels everything on stop. It proves the C
 * ABI needs no C++ on the plugin's side. */
#include <guiju/strategy.h>
#include <stdlib.h>

typedef struct c_strategy {
  guiju_host* host;
  const guiju_host_api* api;
  int64_t max_orders;
  int64_t sent;
} c_strategy;

static void* create(guiju_host* host, const guiju_host_api* api) {
  c_strategy* s = (c_strategy*)calloc(1, sizeof *s);
  if (s == NULL) {
    api->fail(host, "out of memory");
    return NULL;
  }
  s->host = host;
  s->api = api;
  if (!api->param_int(host, "max_orders", 3, 1, 1000, &s->max_orders)) {
    free(s);
    return NULL;
  }
  return s;
}

static void destroy(void* self) {
  free(self);
}

static int on_quote(void* self, const guiju_quote* q) {
  c_strategy* s = (c_strategy*)self;
  guiju_instrument_info info;
  guiju_order_request r = {0};
  guiju_result result;
  if (s->sent >= s->max_orders || q->bid_size <= 0) return 0;
  if (!s->api->instrument(s->host, q->instrument, &info)) {
    s->api->fail(s->host, "quote for an unknown instrument");
    return 1;
  }
  r.instrument = q->instrument;
  r.side = GUIJU_BUY;
  r.type = GUIJU_LIMIT;
  r.tif = GUIJU_DAY;
  r.price = q->bid_price;
  r.quantity = info.lot_size;
  result = s->api->submit(s->host, &r);
  if (result.reject_code == 0) ++s->sent;
  return 0;
}

static int on_stop(void* self) {
  c_strategy* s = (c_strategy*)self;
  guiju_order open[16];
  uint32_t n = s->api->open_orders(s->host, open, 16);
  uint32_t i;
  for (i = 0; i < n && i < 16; ++i) s->api->cancel(s->host, open[i].id);
  return 0;
}

static const guiju_plugin kPlugin = {GUIJU_ABI_MAJOR,
                                     GUIJU_ABI_MINOR,
                                     0,
                                     "c_strategy",
                                     "0.1.0",
                                     {sizeof(guiju_strategy_callbacks), 0, create, destroy, NULL,
                                      on_stop, on_quote, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};

__attribute__((visibility("default"))) const guiju_plugin* guiju_strategy_plugin(void) {
  return &kPlugin;
}

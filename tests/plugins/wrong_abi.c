/* Built for a strategy ABI whose major version this engine does not provide. */
#include <guiju/strategy.h>
#include <stddef.h>

static void* create(guiju_host* host, const guiju_host_api* api) {
  (void)host;
  (void)api;
  return NULL;
}
static void destroy(void* self) {
  (void)self;
}

static const guiju_plugin kPlugin = {GUIJU_ABI_MAJOR + 1,
                                     4,
                                     0,
                                     "future",
                                     "9.0.0",
                                     {sizeof(guiju_strategy_callbacks), 0, create, destroy, NULL,
                                      NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};

__attribute__((visibility("default"))) const guiju_plugin* guiju_strategy_plugin(void) {
  return &kPlugin;
}

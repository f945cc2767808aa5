/* A plugin description without a create callback: nothing could ever be created from it. */
#include <guiju/strategy.h>
#include <stddef.h>

static void destroy(void* self) {
  (void)self;
}

static const guiju_plugin kPlugin = {GUIJU_ABI_MAJOR,
                                     GUIJU_ABI_MINOR,
                                     0,
                                     "incomplete",
                                     "0.1.0",
                                     {sizeof(guiju_strategy_callbacks), 0, NULL, destroy, NULL,
                                      NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}};

__attribute__((visibility("default"))) const guiju_plugin* guiju_strategy_plugin(void) {
  return &kPlugin;
}

/* A shared library that is not a strategy plugin: it exports no guiju_strategy_plugin. */
__attribute__((visibility("default"))) int something_else(void) {
  return 42;
}

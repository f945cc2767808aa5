#pragma once
// The payloads of remote_protocol.hpp that are more than one struct: the start message, a
// refusal, an order call's result and a book. Written by one side, read by the other, in one
// place so the two cannot drift apart.

#include <set>
#include <string>
#include <vector>

#include "core/config/strategy_parameters.hpp"
#include "core/data/book.hpp"
#include "core/model/instrument.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/remote_protocol.hpp"
#include "core/strategy/strategy.hpp"
#include "core/strategy/strategy_context.hpp"

namespace guiju::remote {

struct Hello {
  PluginFile plugin;
  StrategyParameters parameters;
  std::vector<Instrument> instruments;  // the registry, in id order
};
void write_hello(Writer& w, const PluginFile& plugin, const StrategyParameters& parameters,
                 const InstrumentRegistry& instruments);
Hello read_hello(Reader& r);

// Why the host would not create the strategy: a bad parameter (config_error, with its place in
// the config) or a refused plugin.
struct Refusal {
  bool config_error = false;
  std::string file;
  int line = 0;
  int column = 0;
  std::string key;
  std::string message;
};
void write_refusal(Writer& w, const Refusal& refusal);
Refusal read_refusal(Reader& r);

void write_result(Writer& w, const SubmitResult& result);
// The reason text is interned in `texts`, so the string_view stays valid.
SubmitResult read_result(Reader& r, std::set<std::string>& texts);

void write_book(Writer& w, InstrumentId id, const Book& book);

CallbackMask implemented_callbacks(const guiju_strategy_callbacks& c);
Book read_book(Reader& r);

}  // namespace guiju::remote

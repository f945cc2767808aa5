#include "adapters/replay/replay_data.hpp"

#include <filesystem>
#include <stdexcept>

#include "adapters/replay/market_data_import.hpp"
#include "adapters/replay/replay_sources.hpp"
#include "adapters/replay/sse_level2_source.hpp"
#include "core/events/codec.hpp"
#include "core/journal/chain_hash.hpp"
#include "core/journal/query.hpp"
#include "core/journal/verify.hpp"

namespace guiju {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSynthetic = "synthetic";
constexpr std::string_view kSseLevel2 = "sse_level2";
constexpr std::string_view kJournal = "journal";

bool known_format(std::string_view f) {
  return f == kSynthetic || f == kSseLevel2 || f == kJournal || parse_import_format(f).has_value();
}

DataSourceEvent identity_of(const DataSourceSpec& spec, const ReplayDataOptions& options) {
  DataSourceEvent e;
  e.format.assign(spec.format);
  e.location.assign(spec.location);
  e.from = options.from;
  e.to = options.to;
  return e;
}

// The identity of a file: its size and SHA-256.
void identify_file(DataSourceEvent& e, const fs::path& path) {
  e.bytes = fs::file_size(path);
  e.sha256 = journal::sha256_file(path);
}

OpenedSource open_synthetic(const DataSourceSpec& spec, const InstrumentRegistry& registry,
                            const ReplayDataOptions& options,
                            std::unique_ptr<MarketDataSource>& out) {
  const SyntheticMarketOptions& o = options.synthetic;
  char parameters[160];
  std::snprintf(parameters, sizeof(parameters),
                "seed=%llu qps=%.6g trade_p=%.6g mean_rev=%.6g vol_ticks=%.6g seconds=%u date=%s",
                static_cast<unsigned long long>(o.seed), o.quotes_per_second, o.trade_probability,
                o.mean_reversion, o.volatility_ticks, o.session_seconds, o.trading_date.c_str());
  OpenedSource s;
  s.identity = identity_of(spec, options);
  s.identity.location.assign(parameters);
  const std::string_view text(parameters);
  s.identity.sha256 = journal::sha256(std::as_bytes(std::span(text.data(), text.size())));
  s.description = std::string("synthetic market, ") + parameters;
  out = std::make_unique<SyntheticMarket>(registry, o);
  return s;
}

OpenedSource open_sse_level2(const DataSourceSpec& spec, const InstrumentRegistry& registry,
                             const ReplayDataOptions& options,
                             std::unique_ptr<MarketDataSource>& out) {
  sse::Level2Day day = sse::load_level2_day(spec.location, options.trading_date);
  const auto id = registry.id_of(day.security);
  if (!id) {
    throw std::invalid_argument(spec.text() + ": holds security " + day.security +
                                ", which is not a configured instrument");
  }
  OpenedSource s;
  s.identity = identity_of(spec, options);
  identify_file(s.identity, spec.location);
  s.description = "SSE Level-2 " + day.security + " " + options.trading_date + " from " +
                  spec.location + " (" + std::to_string(day.orders.size()) +
                  " orders and cancels, " + std::to_string(day.trades.size()) + " trades)";
  out = std::make_unique<sse::Level2Source>(std::move(day), options.trading_date, *id);
  return s;
}

// A recorded session's market data, exactly as its engine consumed it. The journal must verify:
// replaying a damaged record would be replaying something nobody recorded.
OpenedSource open_journal(const DataSourceSpec& spec, const ReplayDataOptions& options,
                          std::unique_ptr<MarketDataSource>& out) {
  const journal::VerifyReport report = journal::verify_journal(spec.location);
  if (!report.ok()) {
    throw std::invalid_argument(spec.text() + ": the journal does not verify: " +
                                journal::describe(report.problems.front()));
  }
  std::vector<EventSlot> events;
  journal::for_each_record(spec.location,
                           [&](const journal::RecordHeader&, std::span<const std::byte> payload) {
                             EventSlot e;
                             if (!decode(payload, e).ok() || !is_market_data(e.type())) return;
                             events.push_back(e);
                           });
  OpenedSource s;
  s.identity = identity_of(spec, options);
  s.identity.bytes = report.bytes;
  s.identity.sha256 = report.head;  // the chain's head hash names every byte before it
  s.identity.events = events.size();
  s.description = "journal " + spec.location + ": " + std::to_string(events.size()) +
                  " market-data records of " + std::to_string(report.records) + ", head " +
                  journal::to_hex(report.head).substr(0, 16) + "…";
  out = std::make_unique<InMemorySource>(std::move(events));
  return s;
}

OpenedSource open_import(const DataSourceSpec& spec, ImportFormat format,
                         const InstrumentRegistry& registry, const ReplayDataOptions& options,
                         std::unique_ptr<MarketDataSource>& out) {
  ImportOptions io;
  io.instrument_of = [&registry](std::string_view symbol) { return registry.id_of(symbol); };
  io.instrument = options.instrument;
  if (options.instrument) io.tick_size = registry.get(*options.instrument).tick_size;
  io.trading_date = options.trading_date;
  io.utc_offset_minutes = options.utc_offset_minutes;
  io.on_bad_row = options.on_bad_row;
  if (format == ImportFormat::kCsv && !options.csv) {
    throw std::invalid_argument(spec.text() + ": a csv source needs the config's data.csv mapping");
  }
  ImportedData data =
      import_market_data(format, spec.location, io, options.csv ? &*options.csv : nullptr);
  OpenedSource s;
  s.identity = identity_of(spec, options);
  identify_file(s.identity, spec.location);
  s.identity.events = data.events.size();
  s.description = std::string(to_string(format)) + " " + spec.location + ": " +
                  std::to_string(data.stats.rows) + " rows, " + std::to_string(data.events.size()) +
                  " events";
  if (data.stats.skipped > 0) {
    s.description += ", " + std::to_string(data.stats.skipped) + " malformed rows SKIPPED";
    for (const std::string& example : data.stats.skipped_examples) {
      s.description += "\n  skipped " + example;
    }
  }
  out = std::make_unique<InMemorySource>(std::move(data.events));
  return s;
}

}  // namespace

std::optional<DataSourceSpec> parse_data_source(std::string_view text, std::string* error) {
  const size_t colon = text.find(':');
  DataSourceSpec spec;
  spec.format = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) spec.location = std::string(text.substr(colon + 1));
  if (!known_format(spec.format)) {
    if (error) {
      *error = "unknown data format '" + spec.format +
               "' (synthetic, sse_level2:ZIP, journal:DIR, lean:ZIP, hftbacktest:GZ, "
               "truefx:CSV, histdata:CSV, binance_depth:CSV, csv:FILE)";
    }
    return std::nullopt;
  }
  if (spec.format == kSynthetic) {
    if (!spec.location.empty()) {
      if (error) *error = "synthetic takes no path ('" + std::string(text) + "')";
      return std::nullopt;
    }
    return spec;
  }
  if (spec.location.empty()) {
    if (error) *error = "'" + spec.format + "' needs a path: " + spec.format + ":PATH";
    return std::nullopt;
  }
  return spec;
}

ReplayData open_replay_data(const std::vector<DataSourceSpec>& specs,
                            const InstrumentRegistry& registry, const ReplayDataOptions& options) {
  if (specs.empty()) throw std::invalid_argument("no market data to replay");
  ReplayData data;
  std::vector<std::unique_ptr<MarketDataSource>> sources;
  for (const DataSourceSpec& spec : specs) {
    if (spec.format != kSynthetic && !fs::exists(spec.location)) {
      throw std::invalid_argument(spec.text() + ": no such " +
                                  (spec.format == kJournal ? "directory" : "file"));
    }
    std::unique_ptr<MarketDataSource> source;
    if (spec.format == kSynthetic) {
      data.opened.push_back(open_synthetic(spec, registry, options, source));
    } else if (spec.format == kSseLevel2) {
      data.opened.push_back(open_sse_level2(spec, registry, options, source));
    } else if (spec.format == kJournal) {
      data.opened.push_back(open_journal(spec, options, source));
    } else {
      data.opened.push_back(
          open_import(spec, *parse_import_format(spec.format), registry, options, source));
    }
    sources.push_back(std::move(source));
  }
  std::unique_ptr<MarketDataSource> merged =
      sources.size() == 1 ? std::move(sources.front())
                          : std::make_unique<MergedSource>(std::move(sources));
  if (options.from != 0 || options.to != 0) {
    merged = std::make_unique<TimeWindowSource>(std::move(merged), options.from, options.to);
  }
  data.source = std::move(merged);
  return data;
}

}  // namespace guiju

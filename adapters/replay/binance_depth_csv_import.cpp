#include "adapters/replay/binance_depth_csv_import.hpp"

#include <unordered_map>

#include "adapters/replay/depth_book_import.hpp"
#include "adapters/replay/event_sink_import.hpp"
#include "adapters/replay/text_rows_import.hpp"

namespace guiju {

namespace {

struct SymbolBook {
  DepthBook book;
  bool synced = false;     // the book reflects every event so far
  bool has_event = false;  // an event has been applied (pu continuity applies)
  int64_t last_update_id = 0;
};

// The event being collected: rows with one (symbol, timestamp, last_update_id).
struct OpenEvent {
  bool open = false;
  InstrumentId instrument = kNoInstrument;
  int64_t timestamp_ms = 0;
  int64_t last_update_id = 0;
  bool snapshot = false;
};

}  // namespace

ImportedData import_binance_depth_csv(const std::filesystem::path& file,
                                      const ImportOptions& options) {
  const std::string text = read_file_text(file);
  EventSink sink(options, file.string());
  TextRows rows(text, sink.source());
  if (!rows.next()) throw DataError(sink.source() + ": empty (no header row)");
  std::vector<std::string> header;
  for (size_t i = 0; i < rows.size(); ++i) header.emplace_back(rows.text(i));
  auto column = [&](const char* name) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    throw DataError(sink.source() + ":1: no column '" + name + "' in the header");
  };
  const size_t symbol = column("symbol");
  const size_t timestamp = column("timestamp");
  const size_t first_id = column("first_update_id");
  const size_t last_id = column("last_update_id");
  const size_t side_col = column("side");
  const size_t type = column("update_type");
  const size_t price_col = column("price");
  const size_t qty = column("qty");
  const size_t pu = column("pu");
  const size_t fields = header.size();
  rows.set_names(std::move(header));
  sink.reserve(rows.count_lines() / 4 + 1);  // several levels per event

  std::unordered_map<InstrumentId, SymbolBook> books;
  OpenEvent event;
  auto close = [&]() {
    if (!event.open) return;
    event.open = false;
    SymbolBook& b = books[event.instrument];
    if (!b.synced) return;
    BookUpdate u;
    u.instrument = event.instrument;
    b.book.top(u);
    const Timestamp t = event.timestamp_ms * kMillisecond;
    sink.emit(u, t, t);
  };

  while (rows.next()) {
    sink.row([&] {
      rows.expect_fields(fields);
      const InstrumentId instrument = sink.instrument(rows.text(symbol), rows.line());
      const int64_t ms = rows.integer(timestamp);
      rows.integer(first_id);
      const int64_t last = rows.integer(last_id);
      const std::string_view s = rows.text(side_col);
      if (s != "b" && s != "a") rows.fail(side_col, "expected b (bid) or a (ask)");
      const std::string_view u = rows.text(type);
      if (u != "snap" && u != "set") rows.fail(type, "expected snap or set");
      const bool snapshot = u == "snap";
      const Price price = rows.price(price_col);
      const Quantity quantity = rows.quantity(qty);
      const int64_t previous = rows.integer(pu);
      int64_t t = 0;
      if (__builtin_mul_overflow(ms, kMillisecond, &t)) rows.fail(timestamp, "time out of range");

      const bool same_event = event.open && event.instrument == instrument &&
                              event.timestamp_ms == ms && event.last_update_id == last;
      if (same_event && event.snapshot != snapshot) {
        rows.fail(type, "snap and set rows in one event");
      }
      if (!same_event) {
        close();
        sink.check_time(t, rows.line());
        event = {true, instrument, ms, last, snapshot};
        SymbolBook& b = books[instrument];
        if (snapshot) {
          b.book.clear();
          b.synced = true;
        } else if (!b.has_event) {
          b.synced = true;  // no snapshot yet: the book is what the updates say
        } else if (b.synced && previous != b.last_update_id) {
          // Reported once, on the event's first row; its other rows are dropped with the book.
          const int64_t expected = b.last_update_id;
          b.synced = false;
          b.last_update_id = last;
          rows.fail(pu, "gap in the update ids: the previous event's last_update_id is " +
                            std::to_string(expected));
        }
        b.has_event = true;
        b.last_update_id = last;
      }
      SymbolBook& b = books[instrument];
      if (!b.synced) {
        sink.drop();
        return;
      }
      b.book.set(s == "b" ? Side::kBuy : Side::kSell, price, quantity);
    });
  }
  close();
  return sink.finish();
}

}  // namespace guiju

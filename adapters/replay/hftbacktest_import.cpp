#include "adapters/replay/hftbacktest_import.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <vector>

#include "adapters/replay/depth_book_import.hpp"
#include "adapters/replay/event_sink_import.hpp"
#include "adapters/replay/text_rows_import.hpp"

namespace guiju {

namespace {

using json = nlohmann::json;

// One line's JSON, with errors that name the source, line and field.
class Message {
 public:
  Message(const std::string& source, size_t line, const json& root, std::string prefix)
      : source_(source), line_(line), root_(root), prefix_(std::move(prefix)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what,
                         const json* got = nullptr) const {
    std::string text;
    if (got != nullptr) {
      text = got->dump();
      if (text.size() > 60) {
        text.resize(57);
        text += "...";
      }
      text = ", got " + text;
    }
    throw BadRow(source_ + ":" + std::to_string(line_) + ": field '" + prefix_ + field +
                 "': " + what + text);
  }
  const json& at(const char* key) const {
    const auto it = root_.find(key);
    if (it == root_.end()) fail(key, "missing");
    return *it;
  }
  std::string_view string(const char* key) const {
    const json& v = at(key);
    if (!v.is_string()) fail(key, "expected a string", &v);
    return v.get_ref<const std::string&>();
  }
  int64_t integer(const char* key) const {
    const json& v = at(key);
    if (!v.is_number_integer()) fail(key, "expected an integer", &v);
    return v.get<int64_t>();
  }
  bool boolean(const char* key) const {
    const json& v = at(key);
    if (!v.is_boolean()) fail(key, "expected true or false", &v);
    return v.get<bool>();
  }
  int64_t decimal(const json& v, const std::string& field) const {
    if (!v.is_string()) fail(field, "expected a decimal string", &v);
    const char* why = nullptr;
    const auto raw = scaled_decimal(v.get_ref<const std::string&>(), 1, 1, &why);
    if (!raw) fail(field, why, &v);
    if (*raw < 0) fail(field, "expected a non-negative decimal", &v);
    return *raw;
  }
  Price price(const char* key) const { return Price::from_raw(decimal(at(key), key)); }
  Quantity quantity(const char* key) const { return Quantity::from_raw(decimal(at(key), key)); }
  // [["price","qty"], ...] into `out`.
  void levels(const char* key, std::vector<PriceLevel>& out) const {
    const json& v = at(key);
    if (!v.is_array()) fail(key, "expected an array of [price, qty]", &v);
    out.clear();
    out.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
      const json& level = v[i];
      const std::string field = std::string(key) + "[" + std::to_string(i) + "]";
      if (!level.is_array() || level.size() != 2) fail(field, "expected [price, qty]", &level);
      out.push_back({Price::from_raw(decimal(level[0], field + "[0]")),
                     Quantity::from_raw(decimal(level[1], field + "[1]"))});
    }
  }

 private:
  const std::string& source_;
  size_t line_;
  const json& root_;
  std::string prefix_;
};

struct DepthUpdate {
  size_t line = 0;
  Timestamp time = 0;
  int64_t first = 0;  // U
  int64_t last = 0;   // u
  std::vector<PriceLevel> bids;
  std::vector<PriceLevel> asks;
};

// The book and Binance's sync rule (see the header).
class SyncedBook {
 public:
  SyncedBook(EventSink& sink, const ImportOptions& options)
      : sink_(sink), instrument_(options.instrument) {}

  // A depth update of `instrument`, in file order.
  void update(InstrumentId instrument, DepthUpdate& u) {
    if (instrument_ && *instrument_ != instrument && depth_seen_) {
      fail(u.line, "s", "depth for a second symbol; one order book per file");
    }
    instrument_ = instrument;
    depth_seen_ = true;
    const bool continuous = !has_previous_ || u.first == previous_last_ + 1;
    const int64_t expected = previous_last_ + 1;
    has_previous_ = true;
    previous_last_ = u.last;
    if (!continuous) {
      // The updates before the gap can never be bridged to a snapshot, and a synced book has
      // missed changes: either way the book is unknown until the next snapshot.
      pending_.clear();
      if (state_ == State::kSynced) state_ = State::kLost;
      fail(u.line, "U",
           "gap in the update ids: U " + std::to_string(u.first) + ", expected " +
               std::to_string(expected));
    }
    switch (state_) {
      case State::kWaiting:
        pending_.push_back(std::move(u));
        return;
      case State::kLost:
        sink_.drop();
        return;
      case State::kSynced:
        if (!bridged_ && u.last <= snapshot_id_) {
          sink_.drop();  // the snapshot already has it
          return;
        }
        apply(u);
        publish(u.time);
        return;
    }
  }

  // The REST snapshot: the book is replaced and the kept updates applied.
  void snapshot(int64_t last_update_id, const std::vector<PriceLevel>& bids,
                const std::vector<PriceLevel>& asks, Timestamp time) {
    book_.clear();
    for (const PriceLevel& l : bids) book_.set(Side::kBuy, l.price, l.size);
    for (const PriceLevel& l : asks) book_.set(Side::kSell, l.price, l.size);
    state_ = State::kSynced;
    snapshot_id_ = last_update_id;
    bridged_ = false;
    std::vector<DepthUpdate> kept;
    kept.swap(pending_);
    for (const DepthUpdate& u : kept) {
      if (!bridged_ && u.last <= snapshot_id_) {
        sink_.drop();
        continue;
      }
      apply(u);
    }
    publish(time);
  }

 private:
  enum class State { kWaiting, kSynced, kLost };

  [[noreturn]] void fail(size_t line, const char* field, const std::string& what) const {
    throw BadRow(sink_.source() + ":" + std::to_string(line) + ": field 'data." + field +
                 "': " + what);
  }

  void apply(const DepthUpdate& u) {
    if (!bridged_ && u.first > snapshot_id_ + 1) {
      state_ = State::kLost;
      fail(u.line, "U",
           "the first update after the snapshot (lastUpdateId " + std::to_string(snapshot_id_) +
               ") starts at U " + std::to_string(u.first) + ": updates in between are missing");
    }
    bridged_ = true;
    for (const PriceLevel& l : u.bids) book_.set(Side::kBuy, l.price, l.size);
    for (const PriceLevel& l : u.asks) book_.set(Side::kSell, l.price, l.size);
  }

  void publish(Timestamp t) {
    if (!instrument_) return;  // no depth stream seen yet: published with the first update
    BookUpdate u;
    u.instrument = *instrument_;
    book_.top(u);
    if (published_ && same_book(u, shown_)) return;
    sink_.emit(u, t, t);
    shown_ = u;
    published_ = true;
  }

  EventSink& sink_;
  std::optional<InstrumentId> instrument_;
  bool depth_seen_ = false;
  DepthBook book_;
  State state_ = State::kWaiting;
  std::vector<DepthUpdate> pending_;  // before the snapshot
  int64_t snapshot_id_ = 0;
  bool bridged_ = false;  // an update after the snapshot has been applied
  bool has_previous_ = false;
  int64_t previous_last_ = 0;
  bool published_ = false;
  BookUpdate shown_;
};

// "<local_ns> <json>" -> local_ns, and the JSON text in `rest`.
Timestamp local_time(std::string_view line, std::string_view& rest, const std::string& source,
                     size_t line_no) {
  const size_t space = line.find(' ');
  Timestamp t = 0;
  const std::string_view digits = line.substr(0, space);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), t);
  if (space == std::string_view::npos || ec != std::errc{} ||
      end != digits.data() + digits.size()) {
    throw BadRow(source + ":" + std::to_string(line_no) + ": expected '<local_ns> <json>', got '" +
                 std::string(line.substr(0, 40)) + "'");
  }
  rest = line.substr(space + 1);
  return t;
}

}  // namespace

std::string gunzip_file(const std::filesystem::path& file) {
  const std::string in = read_file_text(file);
  const std::string where = file.string() + ": ";
  if (in.size() < 18 || static_cast<uint8_t>(in[0]) != 0x1f ||
      static_cast<uint8_t>(in[1]) != 0x8b) {
    throw DataError(where + "not a gzip file (no gzip header)");
  }
  if (in.size() > UINT32_MAX) throw DataError(where + "larger than 4 GiB, not supported");
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw DataError(where + "zlib: cannot start");
  struct End {
    z_stream* z;
    ~End() { inflateEnd(z); }
  } end{&z};
  std::string out(in.size() * 10, '\0');  // market-data text compresses about 10:1
  size_t produced = 0;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  for (;;) {
    if (produced == out.size()) out.resize(out.size() * 2);
    const size_t room = std::min<size_t>(out.size() - produced, UINT32_MAX);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&z, Z_NO_FLUSH);
    produced += room - z.avail_out;
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      // Another gzip member follows (gzip allows concatenation); anything else is damage.
      if (z.avail_in < 2 || z.next_in[0] != 0x1f || z.next_in[1] != 0x8b) {
        throw DataError(where + "unexpected bytes after the gzip data");
      }
      inflateReset(&z);
      continue;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) {
      throw DataError(where + "truncated gzip data (ends after " + std::to_string(produced) +
                      " decompressed bytes)");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      const std::string why = z.msg != nullptr ? z.msg : "zlib error " + std::to_string(rc);
      std::string message = where;
      message += "damaged gzip data: ";
      message += why;
      throw DataError(message);
    }
  }
  out.resize(produced);
  return out;
}

ImportedData import_hftbacktest(const std::filesystem::path& file, const ImportOptions& options) {
  const std::string text = gunzip_file(file);
  EventSink sink(options, file.string());
  sink.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  SyncedBook book(sink, options);
  DepthUpdate update;
  std::vector<PriceLevel> bids;
  std::vector<PriceLevel> asks;

  std::string_view all = text;
  size_t line_no = 0;
  while (!all.empty()) {
    const size_t end = all.find('\n');
    const std::string_view line = all.substr(0, end);
    all = end == std::string_view::npos ? std::string_view{} : all.substr(end + 1);
    ++line_no;
    if (line.empty()) continue;
    sink.row([&] {
      std::string_view body;
      const Timestamp t = local_time(line, body, sink.source(), line_no);
      sink.check_time(t, line_no);
      json root;
      try {
        root = json::parse(body.begin(), body.end());
      } catch (const json::parse_error& e) {
        throw BadRow(sink.source() + ":" + std::to_string(line_no) + ": not JSON: " + e.what());
      }
      if (!root.is_object()) {
        throw BadRow(sink.source() + ":" + std::to_string(line_no) + ": expected a JSON object");
      }
      const Message top(sink.source(), line_no, root, "");
      if (!root.contains("stream")) {
        if (!root.contains("lastUpdateId")) {
          throw BadRow(sink.source() + ":" + std::to_string(line_no) +
                       ": neither a stream message nor a depth snapshot (lastUpdateId)");
        }
        const int64_t id = top.integer("lastUpdateId");
        top.levels("bids", bids);
        top.levels("asks", asks);
        book.snapshot(id, bids, asks, t);
        return;
      }
      const std::string_view stream = top.string("stream");
      const std::string_view kind = stream.substr(std::min(stream.find('@'), stream.size()));
      const json& data = top.at("data");
      if (!data.is_object()) top.fail("data", "expected an object", &data);
      const Message m(sink.source(), line_no, data, "data.");
      if (kind.starts_with("@depth")) {
        const std::string_view symbol = m.string("s");
        update.line = line_no;
        update.time = t;
        update.first = m.integer("U");
        update.last = m.integer("u");
        m.levels("b", update.bids);
        m.levels("a", update.asks);
        book.update(sink.instrument(symbol, line_no), update);
      } else if (kind == "@bookTicker") {
        Quote q;
        const std::string_view symbol = m.string("s");
        q.bid_price = m.price("b");
        q.bid_size = m.quantity("B");
        q.ask_price = m.price("a");
        q.ask_size = m.quantity("A");
        q.instrument = sink.instrument(symbol, line_no);
        sink.emit(q, t, t);
      } else if (kind == "@trade") {
        Trade trade;
        const std::string_view symbol = m.string("s");
        trade.price = m.price("p");
        trade.size = m.quantity("q");
        const int64_t id = m.integer("t");
        if (id < 0) m.fail("t", "expected a trade id, not negative");
        trade.trade_id = static_cast<uint64_t>(id);
        trade.aggressor = m.boolean("m") ? Side::kSell : Side::kBuy;
        trade.instrument = sink.instrument(symbol, line_no);
        sink.emit(trade, t, t);
      } else {
        sink.drop();  // a stream that carries no quotes, trades or depth
      }
    });
  }
  return sink.finish();
}

}  // namespace guiju

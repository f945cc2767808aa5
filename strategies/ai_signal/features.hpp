// The ai_signal feature vector: what the plugin sends the model, computed from the books and
// trades the engine delivers, and normalised with the constants the training script wrote.
//
// This is the C++ half of one definition whose Python half is strategies/ai_signal/train/
// features.py: the model was trained on what that module computes, so this header must compute
// the same numbers, operation for operation (ai_signal_features_test checks it on hand-made
// books). Change one, change the other, and bump kFeatureSet.
//
// Header-only and built on the public SDK types alone, so that the plugin and the test share it.
// Nothing here allocates after construction: the rolling state lives in fixed arrays.

#ifndef GUIJU_AI_SIGNAL_FEATURES_HPP
#define GUIJU_AI_SIGNAL_FEATURES_HPP

#include <guiju/strategy.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ai_signal {

inline constexpr int kFeatureSet = 1;
inline constexpr int kFeatureCount = 16;
inline constexpr std::array<int, 4> kImbalanceLevels = {1, 3, 5, 10};
inline constexpr std::array<int, 4> kReturnHorizons = {1, 5, 20, 100};  // valid book updates
inline constexpr std::array<int, 2> kFlowWindows = {10, 50};            // trades
inline constexpr int kHistory = 101;                                    // mids kept
inline constexpr int kTradeHistory = 50;                                // trades kept

inline constexpr std::array<std::string_view, kFeatureCount> kFeatureNames = {
    "imbalance_l1",     "imbalance_l3",    "imbalance_l5",       "imbalance_l10",
    "log_spread_ticks", "spread_bps",      "microprice_dev_bps", "return_1_bps",
    "return_5_bps",     "return_20_bps",   "return_100_bps",     "trade_flow_10",
    "trade_flow_50",    "flow_since_book", "level2_gap_ticks",   "last_trade_dev_bps"};

using Features = std::array<double, kFeatureCount>;

// As guiju::sdk::to_double: one division, so both languages start from the same doubles.
inline double to_double(guiju_fixed v) {
  return static_cast<double>(v) / GUIJU_FIXED_SCALE;
}

// Two sides with size at the touch, neither crossed nor locked: a book one can price.
inline bool is_valid(const guiju_book& b) {
  return b.bid_levels > 0 && b.ask_levels > 0 && b.bid_levels <= GUIJU_BOOK_DEPTH &&
         b.ask_levels <= GUIJU_BOOK_DEPTH && b.bids[0].size > 0 && b.asks[0].size > 0 &&
         b.bids[0].price < b.asks[0].price;
}

// Sum of the first n levels' sizes, best first.
inline double side_depth(const guiju_level* levels, uint32_t count, int n) {
  double total = 0.0;
  const uint32_t m = std::min<uint32_t>(count, static_cast<uint32_t>(n));
  for (uint32_t i = 0; i < m; ++i) total += to_double(levels[i].size);
  return total;
}

// (bid depth - ask depth) / (bid depth + ask depth) over the top n levels; 0 when both are empty.
inline double imbalance(const guiju_book& b, int n) {
  const double bid_depth = side_depth(b.bids, b.bid_levels, n);
  const double ask_depth = side_depth(b.asks, b.ask_levels, n);
  const double total = bid_depth + ask_depth;
  return total > 0 ? (bid_depth - ask_depth) / total : 0.0;
}

// One instrument's rolling state: the recent mids and trades the features look back on.
class FeatureState {
 public:
  // A public trade; the aggressor's side signs its size.
  void on_trade(uint32_t aggressor, guiju_fixed price, guiju_fixed size_fixed) {
    const double size = to_double(size_fixed);
    const double signed_size =
        aggressor == GUIJU_BUY ? size : (aggressor == GUIJU_SELL ? -size : 0.0);
    trades_[trade_next_] = {signed_size, size};
    trade_next_ = (trade_next_ + 1) % kTradeHistory;
    trade_count_ = std::min(trade_count_ + 1, kTradeHistory);
    pending_signed_ += signed_size;
    last_trade_price_ = to_double(price);
    has_trade_ = true;
  }

  // Every return horizon has history: no signal is asked for before.
  bool ready() const { return mid_count_ >= kHistory; }

  // Updates the state with a book and writes its raw features; false (state unchanged) for a
  // book that cannot be priced. `tick` is the instrument's tick size as a double.
  bool on_book(const guiju_book& b, double tick, Features& out) {
    if (!is_valid(b)) return false;
    const double bid = to_double(b.bids[0].price);
    const double bid_size = to_double(b.bids[0].size);
    const double ask = to_double(b.asks[0].price);
    const double ask_size = to_double(b.asks[0].size);
    const double mid = (bid + ask) / 2.0;
    const double spread = ask - bid;
    mids_[mid_next_] = mid;
    mid_next_ = (mid_next_ + 1) % kHistory;
    mid_count_ = std::min(mid_count_ + 1, kHistory);

    size_t f = 0;
    for (const int n : kImbalanceLevels) out[f++] = imbalance(b, n);
    out[f++] = std::log(spread / tick);
    out[f++] = spread / mid * 1e4;
    const double micro = (bid * ask_size + ask * bid_size) / (bid_size + ask_size);
    out[f++] = (micro - mid) / mid * 1e4;
    for (const int k : kReturnHorizons) {
      if (mid_count_ > k) {
        const double past =
            mids_[static_cast<size_t>((mid_next_ - 1 - k + 2 * kHistory) % kHistory)];
        out[f++] = (mid - past) / past * 1e4;
      } else {
        out[f++] = 0.0;
      }
    }
    for (const int window : kFlowWindows) out[f++] = flow(window);
    out[f++] = pending_signed_ / (bid_size + ask_size);
    pending_signed_ = 0.0;
    if (b.bid_levels >= 2 && b.ask_levels >= 2) {
      const double bid2 = to_double(b.bids[1].price);
      const double ask2 = to_double(b.asks[1].price);
      out[f++] = ((ask2 - ask) - (bid - bid2)) / tick;
    } else {
      out[f++] = 0.0;
    }
    out[f++] = has_trade_ ? (last_trade_price_ - mid) / mid * 1e4 : 0.0;
    return true;
  }

 private:
  struct TradeRecord {
    double signed_size = 0.0;
    double size = 0.0;
  };

  // Signed over total size of the last `window` trades, newest first; 0 without trades.
  double flow(int window) const {
    double signed_sum = 0.0;
    double size_sum = 0.0;
    const int n = std::min(window, trade_count_);
    for (int i = 0; i < n; ++i) {
      const TradeRecord& t =
          trades_[static_cast<size_t>((trade_next_ - 1 - i + kTradeHistory) % kTradeHistory)];
      signed_sum += t.signed_size;
      size_sum += t.size;
    }
    return size_sum > 0 ? signed_sum / size_sum : 0.0;
  }

  std::array<double, kHistory> mids_{};
  int mid_next_ = 0;
  int mid_count_ = 0;
  std::array<TradeRecord, kTradeHistory> trades_{};
  int trade_next_ = 0;
  int trade_count_ = 0;
  double pending_signed_ = 0.0;  // signed volume of the trades since the last valid book
  double last_trade_price_ = 0.0;
  bool has_trade_ = false;
};

// ---------------------------------------------------------------------------------------------
// A small JSON reader: enough for the features file (objects, arrays, numbers, strings, true,
// false, null), so that the plugin needs nothing beyond the SDK and the standard library.

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0.0;
  std::string string;
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;

  const JsonValue* find(std::string_view key) const {
    for (const auto& [k, v] : object) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}

  // The document, or nullopt with the reason (and byte offset) in *error.
  std::optional<JsonValue> document(std::string* error) {
    JsonValue v;
    if (!value(v, 0)) {
      *error = error_ + " at byte " + std::to_string(pos_);
      return std::nullopt;
    }
    skip_space();
    if (pos_ != text_.size()) {
      *error = "trailing characters at byte " + std::to_string(pos_);
      return std::nullopt;
    }
    return v;
  }

 private:
  static constexpr int kMaxDepth = 32;

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool fail(const char* why) {
    error_ = why;
    return false;
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("unexpected word");
    pos_ += word.size();
    return true;
  }

  bool value(JsonValue& out, int depth) {
    if (depth > kMaxDepth) return fail("nested too deep");
    skip_space();
    if (pos_ >= text_.size()) return fail("unexpected end");
    const char c = text_[pos_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.kind = JsonValue::Kind::kString;
      return string(out.string);
    }
    if (c == 't' || c == 'f') {
      out.kind = JsonValue::Kind::kBool;
      out.boolean = c == 't';
      return literal(c == 't' ? "true" : "false");
    }
    if (c == 'n') {
      out.kind = JsonValue::Kind::kNull;
      return literal("null");
    }
    out.kind = JsonValue::Kind::kNumber;
    return number(out.number);
  }

  bool number(double& out) {
    size_t end = pos_;
    while (end < text_.size() &&
           std::string_view("+-0123456789.eE").find(text_[end]) != std::string_view::npos) {
      ++end;
    }
    const char* first = text_.data() + pos_;
    const char* last = text_.data() + end;
    if (first != last && *first == '+') return fail("bad number");
    const auto [ptr, ec] = std::from_chars(first, last, out);
    if (ec != std::errc() || ptr != last || first == last) return fail("bad number");
    pos_ = end;
    return true;
  }

  bool string(std::string& out) {
    ++pos_;  // the opening quote
    out.clear();
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_++];
      if (c == '\\') {
        if (pos_ >= text_.size()) return fail("unterminated string");
        c = text_[pos_++];
        switch (c) {
          case 'n':
            c = '\n';
            break;
          case 't':
            c = '\t';
            break;
          case '"':
          case '\\':
          case '/':
            break;
          default:
            return fail("unsupported escape in string");
        }
      }
      out += c;
    }
    if (pos_ >= text_.size()) return fail("unterminated string");
    ++pos_;  // the closing quote
    return true;
  }

  bool array(JsonValue& out, int depth) {
    out.kind = JsonValue::Kind::kArray;
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      JsonValue v;
      if (!value(v, depth + 1)) return false;
      out.array.push_back(std::move(v));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
      } else if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return true;
      } else {
        return fail("expected , or ] in array");
      }
    }
  }

  bool object(JsonValue& out, int depth) {
    out.kind = JsonValue::Kind::kObject;
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a key");
      std::string key;
      if (!string(key)) return false;
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') return fail("expected :");
      ++pos_;
      JsonValue v;
      if (!value(v, depth + 1)) return false;
      out.object.emplace_back(std::move(key), std::move(v));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
      } else if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return true;
      } else {
        return fail("expected , or } in object");
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

// ---------------------------------------------------------------------------------------------
// Normalisation: z = clamp((raw - mean) / std, -clip, clip), as float, the model's input.

struct Normalizer {
  std::array<double, kFeatureCount> mean{};
  std::array<double, kFeatureCount> stddev{};
  double clip = 0.0;

  void apply(const Features& raw, float* out) const {
    for (size_t i = 0; i < raw.size(); ++i) {
      const double z = (raw[i] - mean[i]) / stddev[i];
      out[i] = static_cast<float>(std::min(std::max(z, -clip), clip));
    }
  }
};

// Reads the features file the training script wrote next to the model (features.json): the
// feature set, names in order, and each one's mean and standard deviation. nullopt with the
// reason in *error when it is missing, malformed, or describes features other than these.
inline std::optional<Normalizer> parse_normalizer(std::string_view text, std::string* error) {
  std::string why;
  const auto doc = JsonReader(text).document(&why);
  if (!doc) {
    *error = "not JSON: " + why;
    return std::nullopt;
  }
  const JsonValue* set = doc->find("feature_set");
  if (set == nullptr || set->kind != JsonValue::Kind::kNumber || set->number != kFeatureSet) {
    *error = "feature_set is not " + std::to_string(kFeatureSet);
    return std::nullopt;
  }
  const JsonValue* clip = doc->find("clip");
  if (clip == nullptr || clip->kind != JsonValue::Kind::kNumber || !(clip->number > 0)) {
    *error = "clip must be a positive number";
    return std::nullopt;
  }
  const JsonValue* features = doc->find("features");
  if (features == nullptr || features->kind != JsonValue::Kind::kArray ||
      features->array.size() != kFeatureCount) {
    *error = "features must list " + std::to_string(kFeatureCount) + " features";
    return std::nullopt;
  }
  Normalizer n;
  n.clip = clip->number;
  for (size_t i = 0; i < kFeatureCount; ++i) {
    const JsonValue& f = features->array[i];
    const JsonValue* name = f.find("name");
    const JsonValue* mean = f.find("mean");
    const JsonValue* stddev = f.find("std");
    if (name == nullptr || name->kind != JsonValue::Kind::kString ||
        name->string != kFeatureNames[i]) {
      *error = "feature " + std::to_string(i) + " is not " + std::string(kFeatureNames[i]);
      return std::nullopt;
    }
    if (mean == nullptr || mean->kind != JsonValue::Kind::kNumber || !std::isfinite(mean->number) ||
        stddev == nullptr || stddev->kind != JsonValue::Kind::kNumber ||
        !std::isfinite(stddev->number) || !(stddev->number > 0)) {
      *error = "feature " + name->string + " needs a finite mean and a positive std";
      return std::nullopt;
    }
    n.mean[i] = mean->number;
    n.stddev[i] = stddev->number;
  }
  return n;
}

inline std::optional<Normalizer> load_normalizer(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string why;
  auto n = parse_normalizer(text.str(), &why);
  if (!n) *error = path + ": " + why;
  return n;
}

}  // namespace ai_signal

#endif  // GUIJU_AI_SIGNAL_FEATURES_HPP

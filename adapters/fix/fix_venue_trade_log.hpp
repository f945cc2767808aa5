#pragma once
// The venue simulator's record of its members' executions, one CSV line per fill as it happens:
// what a firm reconciles its own records against after a conformance test (its positions, and
// every execution seen once), as it would against a real venue's drop copy or trade file.
//
// Each line is flushed as it is written, so a venue stopped by a signal keeps everything it
// reported. Called on the acceptor's thread only.

#include <cstdio>
#include <string>
#include <string_view>

#include "core/model/fixed_point.hpp"
#include "core/model/order_types.hpp"

namespace guiju::fix_venue {

struct TradeLogEntry {
  std::string_view session;  // the member's session (SenderCompID of the member)
  std::string_view account;  // Account (1) as the member named it, or empty
  std::string_view cl_ord_id;
  std::string_view venue_order_id;
  std::string_view exec_id;
  std::string_view symbol;
  Side side = Side::kBuy;
  Quantity last_qty;
  Price last_price;
  Quantity cum_qty;  // the order's executed total after this fill
};

class TradeLog {
 public:
  // Creates (truncates) the file and writes the header; throws std::runtime_error naming the
  // path and the system's reason when it cannot.
  explicit TradeLog(const std::string& path);
  ~TradeLog();
  TradeLog(const TradeLog&) = delete;
  TradeLog& operator=(const TradeLog&) = delete;

  // False when the line could not be written (disk full, I/O error): the caller says so.
  bool record(const TradeLogEntry& e);
  const std::string& path() const { return path_; }

  static constexpr std::string_view kHeader =
      "session,account,cl_ord_id,venue_order_id,exec_id,symbol,side,last_qty,last_px,cum_qty";

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace guiju::fix_venue

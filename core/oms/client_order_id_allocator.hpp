#pragma once
// Client order ids that are unique across restarts: "<prefix><YYYYMMDD>-<counter>".
//
// The counter is the engine's OrderId. In persistent mode the allocator reserves ids in blocks:
// before handing out the first id of a block it durably writes the block's end to the state file
// (write to a temporary file, fsync, rename, fsync the directory). After a crash at any point, the
// next start begins past every id that could have been sent, so no id is ever reused; at most one
// block of ids is skipped. The cost is one fsync per block, not per order.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "core/model/client_order_id.hpp"
#include "core/model/ids.hpp"

namespace guiju {

class ClientOrderIdAllocator {
 public:
  // 15 digits: with an 8-character prefix and the date, an id still fits in 32 bytes.
  static constexpr OrderId kMaxCounter = 999'999'999'999'999;

  // In memory only, starting at first_id (replay: deterministic ids every run).
  ClientOrderIdAllocator(std::string prefix, std::string trading_date, OrderId first_id = 1);

  // Persistent: continues after the high-water mark in state_file when it is for the same
  // trading date, starts at 1 on a new date. Throws std::runtime_error naming the file (and line)
  // when the state file is unreadable or malformed, or cannot be written.
  static ClientOrderIdAllocator open_persistent(std::filesystem::path state_file,
                                                std::string prefix, std::string trading_date,
                                                uint64_t block = 4096);

  // The next id. In persistent mode, crossing a block boundary writes the state file first.
  OrderId next();
  // The id that next() will return.
  OrderId peek() const { return next_; }
  // "<prefix><date>-<id>" into out (with an 8-char prefix, ids up to 15 digits fit in 32 bytes).
  void format(OrderId id, ClientOrderId& out) const;

  const std::string& prefix() const { return prefix_; }
  const std::string& trading_date() const { return trading_date_; }

 private:
  void reserve_through(OrderId limit);

  std::string prefix_;
  std::string trading_date_;
  OrderId next_;
  OrderId reserved_end_ = UINT64_MAX;  // ids below this are durably reserved
  uint64_t block_ = 0;                 // 0: in-memory mode
  std::filesystem::path state_file_;
  std::map<std::string, OrderId> other_dates_;  // high-water marks of other trading dates
  ClientOrderId stem_;                          // "<prefix><date>-", copied into every id
  size_t stem_len_ = 0;
};

// Validates a YYYYMMDD trading date (a real calendar date); returns an empty string when valid,
// otherwise what is wrong.
std::string validate_trading_date(const std::string& date);

}  // namespace guiju

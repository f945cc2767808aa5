#pragma once
// The Shanghai Stock Exchange's Level-2 feed for one instrument and day, as the recorded files
// carry it (the reference A-share dataset in ../shared/data/dolphindb: entrust.csv, trade.csv
// and snapshot.csv in a ZIP, one folder per day). Column mapping, by header name:
//
//   entrust.csv  BizIndex, OrderTime (HH:MM:SS.mmm, China time), OrderType (A new, D cancel),
//                OrderNO, OrderPrice, Balance (resting quantity; on D, quantity cancelled),
//                OrderBSFlag (B/S)
//   trade.csv    BizIndex, TradTime, TradPrice, TradVolume, TradeBuyNo, TradeSellNo,
//                TradeBSFlag (B buyer-initiated, S seller-initiated, N call auction)
//   snapshot.csv UpdateTime, InstruStatus (START, OCALL, TRADE, CCALL, CLOSE, ENDTR), TradNumber,
//                WiDBuyNum, WiDSellNum (cumulative trades and cancels), BidPrice1..10,
//                BidVolume1..10, AskPrice1..10, AskVolume1..10
//
// Prices carry binary floating-point noise in the files and are rounded to the 0.01 tick.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/events/market_data.hpp"

namespace guiju::sse {

struct OrderRow {
  int64_t biz = 0;      // the exchange's business sequence: event order across both files
  int64_t time_ms = 0;  // milliseconds since midnight, China time
  bool cancel = false;  // D row
  uint64_t order_no = 0;
  Side side = Side::kBuy;
  Price price;
  Quantity balance;
};

struct TradeRow {
  int64_t biz = 0;
  int64_t time_ms = 0;
  Price price;
  Quantity volume;
  uint64_t buy_no = 0;
  uint64_t sell_no = 0;
  char flag = 'N';  // B, S or N
};

struct SnapshotRow {
  int64_t time_ms = 0;
  std::string phase;  // InstruStatus
  uint64_t trades = 0;
  uint64_t cancels = 0;          // buy and sell withdrawals together
  std::vector<PriceLevel> bids;  // best first, only the levels with a price
  std::vector<PriceLevel> asks;
};

struct Level2Day {
  std::string security;  // SecurityID, e.g. "600519"
  std::vector<OrderRow> orders;
  std::vector<TradeRow> trades;
  std::vector<SnapshotRow> snapshots;
};

// Loads `<day>/entrust.csv`, `trade.csv` and `snapshot.csv` from the archive. Throws ZipError or
// DataError naming the archive member, line and column of anything malformed.
Level2Day load_level2_day(const std::filesystem::path& archive, const std::string& day);

}  // namespace guiju::sse

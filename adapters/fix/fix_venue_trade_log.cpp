#include "adapters/fix/fix_venue_trade_log.hpp"

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace guiju::fix_venue {

TradeLog::TradeLog(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "w")) {
  if (!file_) {
    throw std::runtime_error("venue trade log " + path + ": " +
                             std::generic_category().message(errno));
  }
  std::fprintf(file_, "%.*s\n", static_cast<int>(kHeader.size()), kHeader.data());
  std::fflush(file_);
}

TradeLog::~TradeLog() {
  if (file_) std::fclose(file_);
}

bool TradeLog::record(const TradeLogEntry& e) {
  // FIX identifiers and symbols carry no commas or quotes (the venue's dictionary has them as
  // plain strings of printable characters), so no CSV quoting is needed.
  auto field = [&](std::string_view v) {
    std::fwrite(v.data(), 1, v.size(), file_);
    std::fputc(',', file_);
  };
  field(e.session);
  field(e.account);
  field(e.cl_ord_id);
  field(e.venue_order_id);
  field(e.exec_id);
  field(e.symbol);
  field(e.side == Side::kBuy ? "buy" : "sell");
  field(e.last_qty.to_string());
  field(e.last_price.to_string());
  const std::string cum = e.cum_qty.to_string();
  std::fwrite(cum.data(), 1, cum.size(), file_);
  std::fputc('\n', file_);
  return std::fflush(file_) == 0 && std::ferror(file_) == 0;
}

}  // namespace guiju::fix_venue

#include "adapters/replay/sse_level2.hpp"

#include "adapters/replay/csv_table.hpp"
#include "adapters/replay/zip_reader.hpp"

namespace guiju::sse {

namespace {

const Price kTick = Price::from_raw(Price::kScale / 100);

int64_t time_of_day(const CsvTable& t, size_t row, size_t column) {
  const std::string_view f = t.text(row, column);
  // HH:MM:SS.mmm
  if (f.size() != 12 || f[2] != ':' || f[5] != ':' || f[8] != '.') {
    t.fail(row, column, "expected a time HH:MM:SS.mmm");
  }
  auto digits = [&](size_t at, size_t n) {
    int64_t v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (f[i] < '0' || f[i] > '9') t.fail(row, column, "expected a time HH:MM:SS.mmm");
      v = v * 10 + (f[i] - '0');
    }
    return v;
  };
  return ((digits(0, 2) * 60 + digits(3, 2)) * 60 + digits(6, 2)) * 1000 + digits(9, 3);
}

Side side_of(const CsvTable& t, size_t row, size_t column) {
  const std::string_view f = t.text(row, column);
  if (f != "B" && f != "S") t.fail(row, column, "expected B or S");
  return f == "B" ? Side::kBuy : Side::kSell;
}

}  // namespace

Level2Day load_level2_day(const std::filesystem::path& archive, const std::string& day) {
  const ZipReader zip(archive);
  auto table = [&](const char* file) {
    const std::string member = day + "/" + file;
    return CsvTable(zip.read(member), archive.string() + ":" + member);
  };
  Level2Day out;

  const CsvTable entrust = table("entrust.csv");
  const size_t biz = entrust.column("BizIndex");
  const size_t time = entrust.column("OrderTime");
  const size_t type = entrust.column("OrderType");
  const size_t number = entrust.column("OrderNO");
  const size_t price = entrust.column("OrderPrice");
  const size_t balance = entrust.column("Balance");
  const size_t side = entrust.column("OrderBSFlag");
  const size_t security = entrust.column("SecurityID");
  if (entrust.rows() > 0) out.security = entrust.text(0, security);
  out.orders.reserve(entrust.rows());
  for (size_t r = 0; r < entrust.rows(); ++r) {
    OrderRow o;
    o.biz = entrust.integer(r, biz);
    o.time_ms = time_of_day(entrust, r, time);
    const std::string_view t = entrust.text(r, type);
    if (t != "A" && t != "D") entrust.fail(r, type, "expected A (new order) or D (cancel)");
    o.cancel = t == "D";
    o.order_no = static_cast<uint64_t>(entrust.integer(r, number));
    o.side = side_of(entrust, r, side);
    if (entrust.text(r, security) != out.security) {
      entrust.fail(r, security, "expected one security per file, " + out.security);
    }
    o.price = entrust.price(r, price, kTick);
    o.balance = entrust.quantity(r, balance);
    out.orders.push_back(o);
  }

  const CsvTable trade = table("trade.csv");
  const size_t tbiz = trade.column("BizIndex");
  const size_t ttime = trade.column("TradTime");
  const size_t tprice = trade.column("TradPrice");
  const size_t volume = trade.column("TradVolume");
  const size_t buy = trade.column("TradeBuyNo");
  const size_t sell = trade.column("TradeSellNo");
  const size_t flag = trade.column("TradeBSFlag");
  out.trades.reserve(trade.rows());
  for (size_t r = 0; r < trade.rows(); ++r) {
    TradeRow t;
    t.biz = trade.integer(r, tbiz);
    t.time_ms = time_of_day(trade, r, ttime);
    t.price = trade.price(r, tprice, kTick);
    t.volume = trade.quantity(r, volume);
    t.buy_no = static_cast<uint64_t>(trade.integer(r, buy));
    t.sell_no = static_cast<uint64_t>(trade.integer(r, sell));
    const std::string_view f = trade.text(r, flag);
    if (f != "B" && f != "S" && f != "N") trade.fail(r, flag, "expected B, S or N");
    t.flag = f[0];
    out.trades.push_back(t);
  }

  const CsvTable snapshot = table("snapshot.csv");
  const size_t stime = snapshot.column("UpdateTime");
  const size_t phase = snapshot.column("InstruStatus");
  const size_t count = snapshot.column("TradNumber");
  const size_t wid_buy = snapshot.column("WiDBuyNum");
  const size_t wid_sell = snapshot.column("WiDSellNum");
  std::vector<size_t> bid_price;
  std::vector<size_t> bid_volume;
  std::vector<size_t> ask_price;
  std::vector<size_t> ask_volume;
  for (int level = 1; level <= kBookDepth; ++level) {
    const std::string n = std::to_string(level);
    bid_price.push_back(snapshot.column("BidPrice" + n));
    bid_volume.push_back(snapshot.column("BidVolume" + n));
    ask_price.push_back(snapshot.column("AskPrice" + n));
    ask_volume.push_back(snapshot.column("AskVolume" + n));
  }
  out.snapshots.reserve(snapshot.rows());
  for (size_t r = 0; r < snapshot.rows(); ++r) {
    SnapshotRow s;
    s.time_ms = time_of_day(snapshot, r, stime);
    s.phase = snapshot.text(r, phase);
    s.trades = static_cast<uint64_t>(snapshot.integer(r, count));
    s.cancels = static_cast<uint64_t>(snapshot.integer(r, wid_buy) + snapshot.integer(r, wid_sell));
    auto levels = [&](const std::vector<size_t>& prices, const std::vector<size_t>& volumes,
                      std::vector<PriceLevel>& into) {
      for (size_t i = 0; i < prices.size(); ++i) {
        if (snapshot.text(r, prices[i]).empty()) continue;  // START rows carry no book
        const Price p = snapshot.price(r, prices[i], kTick);
        if (!p.is_positive()) continue;
        into.push_back({p, snapshot.quantity(r, volumes[i])});
      }
    };
    levels(bid_price, bid_volume, s.bids);
    levels(ask_price, ask_volume, s.asks);
    out.snapshots.push_back(std::move(s));
  }
  return out;
}

}  // namespace guiju::sse

// Fail closed (DESIGN.md rule 6): when the audit journal cannot be written, the engine stops
// sending new orders, cancels what is open, and says why. The write error is real: the process's
// file-size limit (RLIMIT_FSIZE) makes the journal's write() fail with EFBIG, as a full disk would
// with ENOSPC.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/engine/engine.hpp"
#include "core/journal/journal_service.hpp"
#include "tests/support/file_size_limit.hpp"
#include "tests/support/instruments.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju {
namespace {

using guiju::test::TempDir;

using test::FileSizeLimit;

// Bids at the touch on every quote, so orders are always open.
class AlwaysBid final : public Strategy {
 public:
  void on_quote(StrategyContext& ctx, const Quote& q) override {
    last = ctx.submit({q.instrument, Side::kBuy, OrderType::kLimit, TimeInForce::kDay, q.bid_price,
                       Quantity::from_units(100)});
  }
  SubmitResult last;
};

EventSlot QuoteAt(Timestamp t, int64_t bid_cents) {
  Quote q;
  q.header.event_time = t;
  q.instrument = 0;
  q.bid_price = Price::from_raw(bid_cents * 1'000'000);
  q.ask_price = Price::from_raw((bid_cents + 1) * 1'000'000);
  q.bid_size = Quantity::from_units(1000);
  q.ask_size = Quantity::from_units(1000);
  EventSlot s;
  s.store(q);
  return s;
}

TEST(JournalFailClosed, AWriteErrorStopsNewOrdersAndCancelsOpenOnes) {
  TempDir dir;
  InstrumentRegistry registry;
  registry.add(test::main_board_stock());
  SimulatedClock clock(1'000'000'000);
  ClientOrderIdAllocator ids("T", "20261127");
  EngineOptions options;
  options.order_ring_capacity = 1 << 12;
  Engine engine(registry, clock, ids, options);
  engine.add_account({"a", FeeSchedule{}});
  auto strategy = std::make_unique<AlwaysBid>();
  AlwaysBid* bidder = strategy.get();
  engine.add_strategy("bid", 0, {0}, std::move(strategy));

  journal::WriterOptions wo;
  wo.directory = dir.path();
  wo.trading_date = "20261127";
  wo.durability = journal::Durability::kOsBuffered;
  journal::JournalService service(wo, 1 << 10);
  engine.set_journal(&service);
  engine.start();

  // Trade normally first: orders go out and are journaled.
  for (int k = 0; k < 20; ++k) engine.process(QuoteAt(clock.now() + 1'000, 1000 - k % 3));
  ASSERT_TRUE(bidder->last.ok());
  EXPECT_GT(engine.orders().open_orders().size(), 0u);

  {
    // From here the journal can grow by a few records only.
    const auto size =
        std::filesystem::file_size(std::filesystem::directory_iterator(dir.path())->path());
    const FileSizeLimit limit(static_cast<rlim_t>(size + 16 * 1024));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (service.healthy() && std::chrono::steady_clock::now() < deadline) {
      engine.process(QuoteAt(clock.now() + 1'000, 1000));
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    ASSERT_FALSE(service.healthy()) << "the journal never failed";
    EXPECT_NE(service.failure().find("write failed"), std::string::npos) << service.failure();

    engine.process(QuoteAt(clock.now() + 1'000, 999));  // the engine notices on its next event
    EXPECT_TRUE(engine.halted());
    EXPECT_EQ(bidder->last.reject, RejectCode::kJournalUnavailable);
    EXPECT_EQ(bidder->last.reason, "audit journal unavailable");

    // Every open order has a cancel on its way; nothing new was sent after the failure.
    uint64_t new_orders_after = 0;
    uint64_t cancels = 0;
    bool failed_seen = false;
    engine.order_ring().pop_batch([&](const EventSlot& e) {
      if (e.type() == EventType::kCancelOrder) {
        ++cancels;
        failed_seen = true;
      } else if (e.type() == EventType::kNewOrder && failed_seen) {
        ++new_orders_after;
      }
    });
    EXPECT_GT(cancels, 0u);
    EXPECT_EQ(new_orders_after, 0u);
    for (OrderId id : engine.orders().open_orders()) {
      EXPECT_EQ(engine.orders().find(id)->state, OrderState::kPendingCancel) << id;
    }
    service.stop();
  }
}

}  // namespace
}  // namespace guiju

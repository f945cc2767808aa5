#pragma once
// Building blocks a replay composes its market data from: events held in memory (an imported
// file, a recorded journal), several sources merged into one time order, and a window of event
// time cut out of a source (guiju replay --from/--to).

#include <memory>
#include <vector>

#include "core/data/market_data_source.hpp"
#include "core/model/timestamp.hpp"

namespace guiju {

// Hands out events loaded in memory, in the order given (time order, as importers produce).
class InMemorySource final : public MarketDataSource {
 public:
  explicit InMemorySource(std::vector<EventSlot> events) : events_(std::move(events)) {}
  bool next(EventSlot& out) override;
  double progress() const override;
  size_t size() const { return events_.size(); }

 private:
  std::vector<EventSlot> events_;
  size_t next_ = 0;
};

// Several sources as one, in event-time order. Events at the same instant keep the order of the
// sources as given, then each source's own order: the merge is stable, so a replay of several
// files is the same on every run.
class MergedSource final : public MarketDataSource {
 public:
  explicit MergedSource(std::vector<std::unique_ptr<MarketDataSource>> sources);
  bool next(EventSlot& out) override;
  double progress() const override;

 private:
  struct Head {
    EventSlot event;
    bool live = false;
  };
  std::vector<std::unique_ptr<MarketDataSource>> sources_;
  std::vector<Head> heads_;  // each source's next event; a handful of sources: a scan beats a heap
};

// The events of `source` with from <= event time < to (0: no bound on that side).
class TimeWindowSource final : public MarketDataSource {
 public:
  TimeWindowSource(std::unique_ptr<MarketDataSource> source, Timestamp from, Timestamp to)
      : source_(std::move(source)), from_(from), to_(to) {}
  bool next(EventSlot& out) override;
  // With an end, how far through the window's market time; else the source's own progress.
  double progress() const override;

 private:
  std::unique_ptr<MarketDataSource> source_;
  Timestamp from_;
  Timestamp to_;
  Timestamp first_ = 0;  // the first and the latest event handed out
  Timestamp last_ = 0;
  bool ended_ = false;
};

}  // namespace guiju

#include "adapters/replay/replay_sources.hpp"

namespace guiju {

bool InMemorySource::next(EventSlot& out) {
  if (next_ == events_.size()) return false;
  out = events_[next_++];
  return true;
}

double InMemorySource::progress() const {
  return events_.empty() ? 1.0 : static_cast<double>(next_) / static_cast<double>(events_.size());
}

MergedSource::MergedSource(std::vector<std::unique_ptr<MarketDataSource>> sources)
    : sources_(std::move(sources)), heads_(sources_.size()) {
  for (size_t i = 0; i < sources_.size(); ++i) heads_[i].live = sources_[i]->next(heads_[i].event);
}

bool MergedSource::next(EventSlot& out) {
  size_t best = heads_.size();
  for (size_t i = 0; i < heads_.size(); ++i) {
    if (!heads_[i].live) continue;
    // Strictly earlier wins: at equal times the first source keeps its place.
    if (best == heads_.size() ||
        heads_[i].event.header().event_time < heads_[best].event.header().event_time) {
      best = i;
    }
  }
  if (best == heads_.size()) return false;
  out = heads_[best].event;
  heads_[best].live = sources_[best]->next(heads_[best].event);
  return true;
}

double MergedSource::progress() const {
  double least = 1.0;
  for (const auto& s : sources_) {
    const double p = s->progress();
    if (p < 0) return -1;
    least = std::min(least, p);
  }
  return least;
}

bool TimeWindowSource::next(EventSlot& out) {
  while (!ended_ && source_->next(out)) {
    const Timestamp t = out.header().event_time;
    if (to_ != 0 && t >= to_) break;
    if (t >= from_) {
      if (first_ == 0) first_ = t;
      last_ = t;
      return true;
    }
  }
  ended_ = true;
  return false;
}

double TimeWindowSource::progress() const {
  if (ended_) return 1.0;
  if (to_ == 0) return source_->progress();
  const Timestamp start = from_ != 0 ? from_ : first_;
  if (start == 0 || to_ <= start) return 0.0;
  return static_cast<double>(last_ - start) / static_cast<double>(to_ - start);
}

}  // namespace guiju

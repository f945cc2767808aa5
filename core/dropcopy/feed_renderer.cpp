#include "core/dropcopy/feed_renderer.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "core/dropcopy/dropcopy_topic.hpp"
#include "core/journal/record_fields.hpp"
#include "core/journal/record_json.hpp"
#include "core/util/json_string.hpp"

namespace guiju::dropcopy {

FeedRenderer::FeedRenderer(const InstrumentRegistry& instruments, std::vector<std::string> accounts)
    : instruments_(instruments), accounts_(std::move(accounts)) {}

void FeedRenderer::learn_strategy(const EventSlot& event) {
  if (event.type() != EventType::kStrategyLifecycle) return;
  const auto& e = event.as<StrategyEvent>();
  if (e.action != StrategyAction::kStarted || e.strategy == kNoStrategy) return;
  if (e.strategy >= strategies_.size()) strategies_.resize(size_t{e.strategy} + 1);
  strategies_[e.strategy] = std::string(e.name.view());
}

std::optional<Message> FeedRenderer::render(uint64_t sequence, Timestamp engine_time,
                                            const EventSlot& event) {
  learn_strategy(event);
  const std::string_view topic = topic_of(event);
  if (topic.empty()) return std::nullopt;

  journal::RecordFields f = journal::record_fields(sequence, engine_time, event);
  // An execution report names only the order: who it belongs to comes from the order itself,
  // looked up before a report that ends the order makes the directory forget it.
  if (event.type() == EventType::kExecutionReport) {
    if (const std::optional<OrderOwner> owner =
            orders_.find(event.as<ExecutionReport>().order_id)) {
      f.account = owner->account;
      f.strategy = owner->strategy;
      f.fields.emplace_back("client_order_id", std::string(owner->client_order_id.view()));
    }
  }
  orders_.update(event);

  std::array<journal::JsonMember, 5> extra;
  size_t n = 0;
  extra[n++] = {"topic", topic};
  if (f.instrument != kNoInstrument && instruments_.contains(f.instrument)) {
    extra[n++] = {"symbol", instruments_.get(f.instrument).symbol};
  }
  if (f.account >= 0 && static_cast<size_t>(f.account) < accounts_.size()) {
    extra[n++] = {"account_name", accounts_[static_cast<size_t>(f.account)]};
  }
  if (f.strategy >= 0 && static_cast<size_t>(f.strategy) < strategies_.size() &&
      !strategies_[static_cast<size_t>(f.strategy)].empty()) {
    extra[n++] = {"strategy_name", strategies_[static_cast<size_t>(f.strategy)]};
  }
  uint64_t& last = last_on_topic_[topic];
  std::array<char, 24> previous{};
  const char* end = std::to_chars(previous.data(), previous.data() + previous.size(), last).ptr;
  extra[n++] = {"previous_sequence",
                std::string_view(previous.data(), static_cast<size_t>(end - previous.data())),
                true};
  last = sequence;
  Message m{topic, {}};
  m.body.reserve(512);  // an order's line is about 400 bytes: one allocation, not several
  journal::append_record_json(m.body, f, std::span(extra.data(), n));
  return m;
}

Message FeedRenderer::heartbeat(uint64_t committed, Timestamp now) const {
  // Topics in byte order, as the records' keys are.
  std::vector<std::pair<std::string_view, uint64_t>> last(last_on_topic_.begin(),
                                                          last_on_topic_.end());
  std::sort(last.begin(), last.end());
  Message m{kHeartbeatTopic, "{\"last_sequences\":{"};
  for (size_t i = 0; i < last.size(); ++i) {
    if (i != 0) m.body += ',';
    append_json_string(m.body, last[i].first);
    m.body += ':';
    m.body += std::to_string(last[i].second);
  }
  m.body += "},\"sequence\":" + std::to_string(committed) + ",\"time\":" + std::to_string(now) +
            ",\"topic\":";
  append_json_string(m.body, kHeartbeatTopic);
  m.body += '}';
  return m;
}

}  // namespace guiju::dropcopy

#pragma once
// The drop-copy feed's messages, without the socket: [topic, body] for each committed record the
// feed publishes, and the heartbeat.
//
// The body is the record as `guiju audit export --format jsonl` writes it (one renderer serves
// both: core/journal/record_json.hpp), with what a risk officer's tool would otherwise have to
// look up added: the topic, the symbol, the account's and strategy's names, and on execution
// reports the account, strategy and client order id of the order they are about. It also
// carries previous_sequence, the journal sequence of the previous message on the same topic:
// PUB drops messages for a subscriber that falls behind, and since every subscription is a prefix
// of whole topics, a subscriber that finds previous_sequence differs from the last sequence it
// saw on that topic knows it missed something (and can read it from the journal).

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/dropcopy/order_directory.hpp"
#include "core/events/event_slot.hpp"
#include "core/model/instrument.hpp"

namespace guiju::dropcopy {

struct Message {
  std::string_view topic;  // static storage (dropcopy_topic.hpp)
  std::string body;        // one line of JSON
};

class FeedRenderer {
 public:
  // `instruments` must not change while the feed runs (it does not: the registry is built before
  // the session). `accounts`: the accounts' names by AccountId, the config's order.
  FeedRenderer(const InstrumentRegistry& instruments, std::vector<std::string> accounts);

  // The message for one committed record, in journal order; nullopt for the records the feed
  // leaves to the journal (market data, timers, signals, ...). Every record should be passed:
  // the feed learns strategy names and order owners from them.
  std::optional<Message> render(uint64_t sequence, Timestamp engine_time, const EventSlot& event);

  // {"topic":"heartbeat","sequence":S,"time":T,"last_sequences":{TOPIC:SEQ,...}}: the committed
  // journal sequence, the wall clock, and the sequence of the last message on every topic so far,
  // so that a subscriber also notices a lost message that nothing followed on its topic.
  Message heartbeat(uint64_t committed, Timestamp now) const;

  // Orders whose owners the feed remembers (open orders, roughly): for tests and the log.
  size_t known_orders() const { return orders_.size(); }

 private:
  void learn_strategy(const EventSlot& event);

  const InstrumentRegistry& instruments_;
  std::vector<std::string> accounts_;
  std::vector<std::string> strategies_;  // by StrategyId, from the strategy.started records
  OrderDirectory orders_;
  std::unordered_map<std::string_view, uint64_t> last_on_topic_;
};

}  // namespace guiju::dropcopy

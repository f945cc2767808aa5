#pragma once
// The drop-copy feed's topics: the first frame of every message, so that a tool subscribes by
// prefix ("fill." for every fill, "reject." for every refusal, "" for everything). The names are
// the feed's contract with those tools (docs/operations.md lists them): they are spelled out here
// rather than taken from the event names that the logs and the audit tool print.

#include <string_view>

#include "core/events/event_slot.hpp"

namespace guiju::dropcopy {

// Sent about once a second whatever happens, so that a tool can tell a quiet session from a
// dead feed.
inline constexpr std::string_view kHeartbeatTopic = "heartbeat";

// The topic of an event the feed publishes; empty for the events it leaves to the journal
// (market data, timers, signals, strategy parameters, data sources).
std::string_view topic_of(const EventSlot& event);

}  // namespace guiju::dropcopy

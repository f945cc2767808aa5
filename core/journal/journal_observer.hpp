#pragma once
// Something that follows the journal as the writer thread writes it: the drop-copy feed
// (core/dropcopy/) is one. It sees every record in journal order with its sequence, costs the
// engine thread nothing (it runs on the writer thread), and learns when records are committed,
// so that it never shows a record the journal could still lose.

#include <cstdint>

#include "core/events/event_slot.hpp"

namespace guiju::journal {

class JournalObserver {
 public:
  virtual ~JournalObserver() = default;

  // Writer thread: a record has been appended to the journal under `sequence` but is not yet
  // committed. Copy what is needed: `event` is reused as soon as this returns. Must not throw and
  // must not block: the engine waits for the writer when the audit ring is full.
  virtual void appended(uint64_t sequence, const EventSlot& event, Timestamp engine_time) = 0;

  // Writer thread: every record through `sequence` is committed under the journal's durability
  // policy. Also called about once a second while nothing new arrives (the same sequence again),
  // so that an observer can show it is alive. Never called for records after a write failure:
  // those may be lost, and an observer must not have shown them. Must not throw or block.
  virtual void committed(uint64_t sequence) = 0;
};

}  // namespace guiju::journal

#pragma once
// Running a task on the engine thread from another thread: how the control plane reads and
// changes trading state without breaking the single-writer rule (DESIGN.md rule 1).
//
// One slot, handed over by an atomic state: the control thread posts a task and waits; the
// engine thread, at its next poll, runs it between two events and marks it done. While nothing
// is posted the engine pays one load of a line no other thread writes to (aligned to its own
// cache line so the control thread's waiting never shares it with the engine's data).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>

namespace guiju {

class EngineMailbox {
 public:
  // Any thread but the engine's: runs `task` on the engine thread at its next poll and returns
  // once it has run (true). False when the engine did not take it within `timeout` (it is not
  // running, or not polling): the task is withdrawn and will never run. What the task throws is
  // rethrown here. Callers are served one at a time.
  bool run(const std::function<void()>& task, std::chrono::milliseconds timeout);

  // Engine thread, on every poll.
  void serve() {
    if (state_.load(std::memory_order_acquire) == kPosted) [[unlikely]] {
      serve_posted();
    }
  }

 private:
  enum State : uint32_t { kIdle, kPosted, kRunning, kDone };
  void serve_posted();

  alignas(64) std::atomic<uint32_t> state_{kIdle};
  const std::function<void()>* task_ = nullptr;  // written before kPosted is published
  std::exception_ptr failure_;                   // written before kDone is published
  std::mutex callers_;                           // the posting side only; never the engine's
};

}  // namespace guiju

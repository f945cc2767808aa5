#include "core/engine/engine_mailbox.hpp"

#include <thread>
#include <utility>

namespace guiju {

bool EngineMailbox::run(const std::function<void()>& task, std::chrono::milliseconds timeout) {
  const std::lock_guard<std::mutex> one_at_a_time(callers_);
  task_ = &task;
  state_.store(kPosted, std::memory_order_release);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // Commands are rare and take the engine microseconds: a short sleep between looks costs the
  // waiting thread nothing and the engine thread no wake-up call.
  for (;;) {
    uint32_t state = state_.load(std::memory_order_acquire);
    if (state == kDone) break;
    if (state == kPosted && std::chrono::steady_clock::now() >= deadline) {
      // Withdraw it, unless the engine took it this instant; then wait for it to finish (the
      // task refers to the caller's data).
      if (state_.compare_exchange_strong(state, kIdle, std::memory_order_acq_rel)) {
        task_ = nullptr;
        return false;
      }
      continue;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  task_ = nullptr;
  std::exception_ptr failure = std::exchange(failure_, nullptr);
  state_.store(kIdle, std::memory_order_release);
  if (failure) std::rethrow_exception(failure);
  return true;
}

void EngineMailbox::serve_posted() {
  uint32_t expected = kPosted;
  if (!state_.compare_exchange_strong(expected, kRunning, std::memory_order_acq_rel)) return;
  // The engine thread never sees the task's exception: it goes back to the caller.
  try {
    (*task_)();
  } catch (...) {
    failure_ = std::current_exception();
  }
  state_.store(kDone, std::memory_order_release);
}

}  // namespace guiju

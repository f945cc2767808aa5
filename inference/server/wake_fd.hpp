#pragma once
// Wakes a thread blocked in zmq_poll() from another thread: an eventfd it polls beside its
// sockets. A wake costs a write() only while the thread is (about to be) blocked; otherwise one
// fence and one load, the handshake core/bus/doorbell.hpp describes (the sleeper announces,
// fences, checks its rings once more, then polls; the waker publishes, fences, then looks).

#include <atomic>

namespace guiju::inference {

class WakeFd {
 public:
  WakeFd();  // throws std::system_error when no eventfd can be made
  ~WakeFd();
  WakeFd(const WakeFd&) = delete;
  WakeFd& operator=(const WakeFd&) = delete;

  int fd() const { return fd_; }

  // Any thread, after publishing the work: wakes the sleeper if it sleeps.
  void wake() {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (sleeping_.load(std::memory_order_relaxed)) signal();
  }
  // Any thread, including a signal handler: wakes it whether or not it sleeps.
  void signal() const;

  // The sleeper: announce, check once more, then poll the fd (or cancel).
  void prepare() {
    sleeping_.store(true, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_seq_cst);
  }
  void cancel() { sleeping_.store(false, std::memory_order_relaxed); }
  // After the poll returned with the fd readable: consumes the wake-ups.
  void clear() const;

 private:
  int fd_ = -1;
  std::atomic<bool> sleeping_{false};
};

}  // namespace guiju::inference

#pragma once
// Dynamic batching across clients, and the model lifecycle, independent of any protocol: front
// ends submit jobs through their ports (submit_port.hpp) and are answered through their
// Completion (completion.hpp). The ZeroMQ front end is one such front end; an HTTP one can
// submit to the same batcher.
//
// Per model version, requests wait in a bounded queue (full: answered overloaded at once). A
// batch runs when the queue holds max_batch rows, or when its oldest request has waited
// max_queue_delay_us (0: at once, with whatever arrived together). Before a batch runs, every
// request past its deadline is answered expired and counted: never computed, so a late request
// costs the ones still in time nothing.
//
// Threads: one serving thread does all of it (takes the ports' jobs, owns the registry and the
// queues, runs the batches, completes the jobs), so none of that state is shared and nothing on
// the path locks. The serving thread is either the batcher's own (start()) or the caller's
// (poll(), when a front end runs the batches on its I/O thread). Admin loads are done on the
// loader's thread and installed by the serving thread.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/bus/doorbell.hpp"
#include "inference/server/completion.hpp"
#include "inference/server/model_loader.hpp"
#include "inference/server/model_registry.hpp"
#include "inference/server/submit_port.hpp"

namespace guiju::inference {

struct BatcherOptions {
  std::filesystem::path repository;
  size_t queue_capacity = 1024;  // requests waiting per model version
};

class Batcher {
 public:
  explicit Batcher(BatcherOptions options);
  ~Batcher();
  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  // ---- before serving (any one thread) -----------------------------------------------------
  // Loads a model version now; throws ModelError saying which and why.
  const ServedModel& load_now(const std::string& name, const std::string& version);
  // A port for one front-end thread; it lives as long as the batcher.
  SubmitPort& add_port(size_t capacity);
  // Called from other threads when the serving thread has new work that did not come through a
  // port (a finished load, a stop). For a front end that runs poll() on its own thread.
  void set_waker(std::function<void()> waker) { waker_ = std::move(waker); }
  // A front end that submits from a thread other than the one running poll() calls this after
  // submitting: the port rings the batcher's own thread, but a poll() run by another front end's
  // I/O thread sleeps on that front end's descriptors and must be woken through the waker.
  void notify() const {
    if (waker_) waker_();
  }

  // ---- the serving thread ------------------------------------------------------------------
  // Takes the ports' jobs, installs finished loads, runs the batches that are due. Returns the
  // nanoseconds until the next batch is due, or -1 when nothing waits.
  int64_t poll();
  // At stop: computes everything queued (in time) without waiting for batches to fill, answers
  // loads not yet done unavailable, completes the pending unloads. New jobs are then answered
  // unavailable.
  void drain();
  ModelRegistry& registry() { return registry_; }
  // Requests that named no loaded model.
  uint64_t unknown_model_count() const { return unknown_; }

  // ---- a serving thread of its own ---------------------------------------------------------
  // busy_poll: spin instead of parking when idle (for hosts with a core to spare).
  void start(bool busy_poll);
  // Drains (as drain()) on the serving thread, then joins it.
  void stop();

 private:
  struct PendingUnload {
    InferJob job;
  };

  void accept(const InferJob& job);
  void admin(const InferJob& job);
  void refuse(const InferJob& job, ReplyStatus status, const ServedModel* model);
  void run_batch(ServedModel& model);
  void finish_loads();
  void finish_unloads();
  bool ports_empty();
  void answer_admin(const InferJob& job, ReplyStatus status, std::string message);
  void serve(bool busy_poll);

  const BatcherOptions options_;
  ModelRegistry registry_;
  std::vector<std::unique_ptr<SubmitPort>> ports_;
  std::vector<PendingUnload> unloads_;
  std::function<void()> waker_;
  std::unique_ptr<ModelLoader> loader_;
  bool draining_ = false;
  uint64_t unknown_ = 0;
  Doorbell bell_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace guiju::inference

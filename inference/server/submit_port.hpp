#pragma once
// How one front-end thread hands requests to the batcher: an SPSC ring, so submitting never
// locks, never allocates and never blocks (a full ring returns false and the front end answers
// the request overloaded itself). Each front end thread has its own port; the batcher's serving
// thread is the one consumer of them all.

#include <bit>
#include <cstddef>

#include "core/bus/spsc_ring.hpp"
#include "inference/server/infer_job.hpp"

namespace guiju::inference {

class SubmitPort {
 public:
  explicit SubmitPort(size_t capacity)
      : ring_(std::bit_ceil(capacity < 2 ? size_t{2} : capacity), BackPressure::kFail,
              "inferd-submit") {}

  // The front end's thread. The job's completion is called exactly once, on the serving thread.
  bool submit(const InferJob& job) { return ring_.try_push(job); }

 private:
  friend class Batcher;
  SpscRing<InferJob> ring_;
};

}  // namespace guiju::inference

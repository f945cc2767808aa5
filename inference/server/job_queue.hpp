#pragma once
// A model version's waiting requests: a bounded FIFO owned by the batcher's serving thread (no
// atomics: one thread pushes and pops), sized when the model is loaded, so queuing allocates
// nothing. Full means the request is answered overloaded at once.

#include <cstddef>
#include <vector>

#include "inference/server/infer_job.hpp"

namespace guiju::inference {

class JobQueue {
 public:
  explicit JobQueue(size_t capacity) : jobs_(capacity == 0 ? 1 : capacity) {}

  bool push(const InferJob& job) {
    if (size_ == jobs_.size()) return false;
    jobs_[(head_ + size_) % jobs_.size()] = job;
    ++size_;
    rows_ += job.rows;
    return true;
  }
  const InferJob& front() const { return jobs_[head_]; }
  void pop() {
    rows_ -= jobs_[head_].rows;
    head_ = (head_ + 1) % jobs_.size();
    --size_;
  }
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  size_t rows() const { return rows_; }  // of every waiting request together
  size_t capacity() const { return jobs_.size(); }

 private:
  std::vector<InferJob> jobs_;
  size_t head_ = 0;
  size_t size_ = 0;
  size_t rows_ = 0;
};

}  // namespace guiju::inference

#pragma once
// Loads model versions for admin load requests on a thread of its own: parsing and planning a
// model takes milliseconds to seconds, which the serving thread must not spend while requests
// wait. Finished loads (a model, or the reason it was refused) wait here until the serving
// thread takes them and installs them; `on_done` tells it to look (it may be asleep).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "inference/server/served_model.hpp"

namespace guiju::inference {

class Completion;

class ModelLoader {
 public:
  struct Task {
    std::string name;
    std::string version;  // empty: the latest in the repository
    uint64_t request_id = 0;
    uint64_t tag = 0;
    Completion* completion = nullptr;
  };
  struct Result {
    Task task;
    std::unique_ptr<ServedModel> model;  // nullptr when refused
    std::string error;                   // why, naming the model and the file
  };

  ModelLoader(std::filesystem::path repository, size_t queue_capacity,
              std::function<void()> on_done);
  ~ModelLoader();  // finishes the load in progress, drops the others
  ModelLoader(const ModelLoader&) = delete;
  ModelLoader& operator=(const ModelLoader&) = delete;

  void request(Task task);
  // True when take() has something; one relaxed load, for the serving thread's every poll.
  bool ready() const { return ready_.load(std::memory_order_acquire); }
  std::vector<Result> take();
  // Tasks not started yet (to answer them at stop).
  std::vector<Task> cancel();

 private:
  void run();

  const std::filesystem::path repository_;
  const size_t queue_capacity_;
  const std::function<void()> on_done_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  std::vector<Result> results_;
  std::atomic<bool> ready_{false};
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace guiju::inference

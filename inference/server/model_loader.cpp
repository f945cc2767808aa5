#include "inference/server/model_loader.hpp"

#include <utility>

namespace guiju::inference {

ModelLoader::ModelLoader(std::filesystem::path repository, size_t queue_capacity,
                         std::function<void()> on_done)
    : repository_(std::move(repository)),
      queue_capacity_(queue_capacity),
      on_done_(std::move(on_done)),
      thread_([this] { run(); }) {}

ModelLoader::~ModelLoader() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ModelLoader::request(Task task) {
  {
    const std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
}

std::vector<ModelLoader::Result> ModelLoader::take() {
  const std::lock_guard lock(mutex_);
  ready_.store(false, std::memory_order_relaxed);
  return std::exchange(results_, {});
}

std::vector<ModelLoader::Task> ModelLoader::cancel() {
  const std::lock_guard lock(mutex_);
  std::vector<Task> left(tasks_.begin(), tasks_.end());
  tasks_.clear();
  return left;
}

void ModelLoader::run() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || !tasks_.empty(); });
      if (stop_) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    Result result;
    try {
      result.model = load_served_model(repository_, task.name, task.version, queue_capacity_);
    } catch (const std::exception& e) {
      result.error = e.what();
    }
    result.task = std::move(task);
    {
      const std::lock_guard lock(mutex_);
      results_.push_back(std::move(result));
      ready_.store(true, std::memory_order_release);
    }
    if (on_done_) on_done_();
  }
}

}  // namespace guiju::inference

// The batcher (inference/server/batcher.hpp) driven on the test's thread, with an executor that
// counts its runs and the rows of each: batches form up to max_batch, the queue delay is
// honoured, requests past their deadline are answered expired and never computed, a full queue
// answers overloaded, and a new version takes new requests while the old one finishes its queue.

#include "inference/server/batcher.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <deque>
#include <thread>
#include <vector>

#include "core/clock/clock.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::inference {
namespace {

constexpr uint32_t kElements = 4;

// The rows of each run of one executor; kept by the test, so they outlive an unloaded model.
struct Runs {
  std::vector<size_t> runs;
};

// y = offset + the sum of the row: which version ran a row shows in its output.
class CountingExecutor final : public Executor {
 public:
  CountingExecutor(const std::string& version, size_t max_batch, float offset, Runs& runs)
      : runs_(runs), offset_(offset) {
    info_.name = "counted";
    info_.version = version;
    info_.sha256 = std::string(64, version == "1" ? 'a' : 'b');
    info_.inputs = {{"x", {kElements}}};
    info_.outputs = {{"y", {1}}};
    info_.max_batch = max_batch;
  }
  const ModelInfo& info() const override { return info_; }
  void run(const Batch& batch) override {
    runs_.runs.push_back(batch.rows);
    for (size_t r = 0; r < batch.rows; ++r) {
      float sum = offset_;
      for (uint32_t i = 0; i < kElements; ++i) sum += batch.inputs[0][r * kElements + i];
      batch.outputs[0][r] = sum;
    }
  }

 private:
  Runs& runs_;
  ModelInfo info_;
  float offset_;
};

struct Answer {
  uint64_t request_id = 0;
  ReplyStatus status = ReplyStatus::kOk;
  std::string version;
  float output = 0;
  int64_t queue_ns = 0;
};

class Collector final : public Completion {
 public:
  void complete(const InferOutcome& o) override {
    Answer a;
    a.request_id = o.request_id;
    a.status = o.status;
    a.version = std::string(o.version);
    a.output = o.outputs.empty() ? -1 : o.outputs[0];
    a.queue_ns = o.queue_ns;
    answers.push_back(a);
  }
  void complete_admin(uint64_t /*tag*/, const AdminReply& reply) override {
    admin.push_back(reply);
  }
  std::vector<Answer> answers;
  std::vector<AdminReply> admin;
};

class BatcherTest : public ::testing::Test {
 protected:
  BatcherTest() : batcher_(options()) {}
  BatcherOptions options() {
    BatcherOptions o;
    o.repository = dir_.path();
    o.queue_capacity = 8;
    return o;
  }
  Runs& Install(const std::string& version, size_t max_batch, int64_t delay_ns, float offset = 0) {
    ModelConfig c;
    c.name = "counted";
    c.version = version;
    c.max_batch = max_batch;
    c.max_queue_delay_ns = delay_ns;
    Runs& runs = runs_.emplace_back();
    auto e = std::make_unique<CountingExecutor>(version, max_batch, offset, runs);
    batcher_.registry().install(std::make_unique<ServedModel>(c, std::move(e), 8));
    return runs;
  }
  // Request `id` with every input (id), optionally for a version and with a deadline.
  bool Submit(uint64_t id, const std::string& version = "", int64_t deadline = 0,
              uint32_t elements = kElements) {
    inputs_.emplace_back(elements, static_cast<float>(id));
    InferJob j;
    j.request_id = id;
    j.completion = &collector_;
    j.rows = 1;
    j.row_elements = elements;
    j.deadline_ns = deadline;
    j.received_ns = monotonic_now();
    j.data = reinterpret_cast<const std::byte*>(inputs_.back().data());
    j.name.assign("counted");
    j.version.assign(version);
    return port_.submit(j);
  }
  void Admin(AdminCommand command, const std::string& version) {
    InferJob j;
    j.kind = JobKind::kAdmin;
    j.command = command;
    j.request_id = 1000;
    j.completion = &collector_;
    j.name.assign("counted");
    j.version.assign(version);
    ASSERT_TRUE(port_.submit(j));
  }
  size_t Count(ReplyStatus s) const {
    size_t n = 0;
    for (const Answer& a : collector_.answers) n += a.status == s ? 1 : 0;
    return n;
  }

  test::TempDir dir_{"guiju-batcher"};
  std::deque<Runs> runs_;
  Batcher batcher_;
  SubmitPort& port_ = batcher_.add_port(64);
  Collector collector_;
  std::deque<std::vector<float>> inputs_;  // stable addresses, as a front end's frames
};

TEST_F(BatcherTest, BatchesFormUpToMaxBatchAndWaitForMore) {
  Runs& e = Install("1", 4, 10'000'000'000);  // a 10 s delay: only full batches run
  for (uint64_t id = 1; id <= 6; ++id) ASSERT_TRUE(Submit(id));
  const int64_t due = batcher_.poll();
  EXPECT_EQ(e.runs, (std::vector<size_t>{4}));
  EXPECT_GT(due, 9'000'000'000);  // the remaining two wait for more
  ASSERT_EQ(collector_.answers.size(), 4u);
  for (const Answer& a : collector_.answers) {
    EXPECT_EQ(a.status, ReplyStatus::kOk);
    EXPECT_EQ(a.output, 4.0F * static_cast<float>(a.request_id));  // its own row, not another's
  }
  batcher_.drain();  // at stop everything queued is computed at once
  EXPECT_EQ(e.runs, (std::vector<size_t>{4, 2}));
  EXPECT_EQ(Count(ReplyStatus::kOk), 6u);
}

TEST_F(BatcherTest, TheQueueDelayIsHonoured) {
  Runs& e = Install("1", 16, 30'000'000);  // 30 ms
  ASSERT_TRUE(Submit(1));
  const int64_t due = batcher_.poll();
  EXPECT_TRUE(e.runs.empty());
  EXPECT_GT(due, 0);
  EXPECT_LE(due, 30'000'000);
  ASSERT_TRUE(Submit(2));  // joins the same batch
  std::this_thread::sleep_for(std::chrono::nanoseconds(due));
  while (e.runs.empty()) batcher_.poll();
  EXPECT_EQ(e.runs, (std::vector<size_t>{2}));
  ASSERT_EQ(collector_.answers.size(), 2u);
  EXPECT_GE(collector_.answers[0].queue_ns, 30'000'000);
}

TEST_F(BatcherTest, ExpiredRequestsAreAnsweredAndNeverComputed) {
  Runs& e = Install("1", 16, 0);
  const int64_t past = utc_now() - 1'000'000;
  const int64_t future = utc_now() + 60'000'000'000;
  ASSERT_TRUE(Submit(1, "", past));
  ASSERT_TRUE(Submit(2, "", future));
  ASSERT_TRUE(Submit(3, "", past));
  ASSERT_TRUE(Submit(4));
  batcher_.poll();
  EXPECT_EQ(e.runs, (std::vector<size_t>{2}));  // 2 and 4 only
  EXPECT_EQ(Count(ReplyStatus::kExpired), 2u);
  EXPECT_EQ(batcher_.registry().models()[0]->counters.expired, 2u);
  EXPECT_EQ(batcher_.registry().models()[0]->counters.answered, 2u);
  for (const Answer& a : collector_.answers) {
    EXPECT_EQ(a.status == ReplyStatus::kExpired, a.request_id == 1 || a.request_id == 3);
  }
}

TEST_F(BatcherTest, ADeadlineThatPassesWhileWaitingExpiresTheRequest) {
  Runs& e = Install("1", 16, 20'000'000);             // 20 ms to fill a batch
  ASSERT_TRUE(Submit(1, "", utc_now() + 5'000'000));  // 5 ms to live
  batcher_.poll();
  std::this_thread::sleep_for(std::chrono::milliseconds(25));
  batcher_.poll();
  EXPECT_TRUE(e.runs.empty());
  ASSERT_EQ(collector_.answers.size(), 1u);
  EXPECT_EQ(collector_.answers[0].status, ReplyStatus::kExpired);
}

TEST_F(BatcherTest, AFullQueueAnswersOverloaded) {
  Runs& e = Install("1", 16, 10'000'000'000);  // capacity 8, nothing runs
  for (uint64_t id = 1; id <= 11; ++id) ASSERT_TRUE(Submit(id));
  batcher_.poll();
  EXPECT_TRUE(e.runs.empty());
  EXPECT_EQ(Count(ReplyStatus::kOverloaded), 3u);
  EXPECT_EQ(batcher_.registry().models()[0]->counters.overloaded, 3u);
  batcher_.drain();
  EXPECT_EQ(e.runs, (std::vector<size_t>{8}));
  EXPECT_EQ(Count(ReplyStatus::kOk), 8u);
}

TEST_F(BatcherTest, WrongShapesAndUnknownModelsAreRefused) {
  Runs& e = Install("1", 16, 0);
  ASSERT_TRUE(Submit(1, "", 0, kElements + 1));
  ASSERT_TRUE(Submit(2, "7"));
  batcher_.poll();
  EXPECT_TRUE(e.runs.empty());
  ASSERT_EQ(collector_.answers.size(), 2u);
  EXPECT_EQ(collector_.answers[0].status, ReplyStatus::kBadRequest);
  EXPECT_EQ(collector_.answers[1].status, ReplyStatus::kUnknownModel);
  EXPECT_EQ(batcher_.unknown_model_count(), 1u);
}

TEST_F(BatcherTest, ANewVersionTakesNewRequestsWhileTheOldOneFinishesItsQueue) {
  Runs& v1 = Install("1", 16, 10'000'000'000, 1000.0F);
  for (uint64_t id = 1; id <= 3; ++id) ASSERT_TRUE(Submit(id));
  batcher_.poll();  // queued on version 1
  Runs& v2 = Install("2", 16, 10'000'000'000, 2000.0F);
  for (uint64_t id = 4; id <= 6; ++id) ASSERT_TRUE(Submit(id));
  Admin(AdminCommand::kUnload, "1");
  ASSERT_TRUE(Submit(7, "1"));  // version 1 is draining: takes nothing new
  batcher_.poll();
  // Draining computes version 1's queue at once, on version 1, and then the unload is answered;
  // version 2 still waits for its batch to fill.
  EXPECT_EQ(v1.runs, (std::vector<size_t>{3}));
  EXPECT_TRUE(v2.runs.empty());
  ASSERT_EQ(collector_.admin.size(), 1u);
  batcher_.drain();
  EXPECT_EQ(v1.runs, (std::vector<size_t>{3}));
  EXPECT_EQ(v2.runs, (std::vector<size_t>{3}));
  for (const Answer& a : collector_.answers) {
    if (a.request_id == 7) {
      EXPECT_EQ(a.status, ReplyStatus::kUnavailable);
      continue;
    }
    ASSERT_EQ(a.status, ReplyStatus::kOk) << a.request_id;
    const bool old = a.request_id <= 3;
    EXPECT_EQ(a.version, old ? "1" : "2") << a.request_id;
    EXPECT_EQ(a.output, (old ? 1000.0F : 2000.0F) + 4.0F * static_cast<float>(a.request_id));
  }
  EXPECT_EQ(collector_.answers.size(), 7u);
  EXPECT_EQ(collector_.admin[0].status, ReplyStatus::kOk);
  EXPECT_EQ(collector_.admin[0].message, "unloaded model counted version 1");
  ASSERT_EQ(batcher_.registry().models().size(), 1u);
  EXPECT_EQ(batcher_.registry().models()[0]->version(), "2");
}

TEST_F(BatcherTest, AdminListAndHealth) {
  Install("1", 16, 0);
  Install("10", 16, 0);
  Install("2", 16, 0);
  Admin(AdminCommand::kList, "");
  Admin(AdminCommand::kHealth, "");
  batcher_.poll();
  ASSERT_EQ(collector_.admin.size(), 2u);
  ASSERT_EQ(collector_.admin[0].models.size(), 3u);
  EXPECT_EQ(collector_.admin[0].models[2].version, "10");  // versions by value
  EXPECT_EQ(collector_.admin[0].models[0].input_shape, (std::vector<uint32_t>{kElements}));
  EXPECT_EQ(collector_.admin[1].status, ReplyStatus::kOk);
  ASSERT_TRUE(Submit(1));
  batcher_.poll();
  EXPECT_EQ(collector_.answers.at(0).version, "10");  // the latest
}

}  // namespace
}  // namespace guiju::inference

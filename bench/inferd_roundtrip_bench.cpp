// The inference service's round trip over ipc://, against a bare ZeroMQ echo over the same
// transport in the same run.
//
//   service: the 64-256-256-1 MLP at batch 1 on the CPU backend, served by the batcher and the
//            ZeroMQ front end of guiju-inferd (inference/server), run in this process on a thread
//            of their own (the I/O thread computes the batch, as `--threads 0`, the default);
//   echo:    a ROUTER on a thread of its own that sends every frame straight back.
// Both are driven by the same client code (InferClient: a DEALER, the request frame of 64 floats),
// one request in flight; a sample is the TSC from send() to the reply taken. Blocks of samples
// alternate between the two (which goes first alternates too), each after unmeasured warm-up, and
// the side not measured is stopped: both see the same phases of a noisy host, and an idle
// spinning server takes no core from the measured one. Two modes: blocking (zmq_poll) and busy
// polling (server and client spin on ZMQ_DONTWAIT).
//
// Target (the inference service issue): service p50 <= 1.3 x echo p50, per mode.
//
//   inferd_roundtrip_bench [--blocks 10] [--samples 1000] [--warmup 200]

#include <zmq.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.hpp"
#include "core/bus/cpu_relax.hpp"
#include "inference/client/infer_client.hpp"
#include "inference/server/batcher.hpp"
#include "inference/server/zmq_front_end.hpp"
#include "tests/support/inferd_repository.hpp"

namespace {

using namespace guiju::inference;
using guiju::bench::tsc;

struct Settings {
  int blocks = 10;
  int samples = 1000;
  int warmup = 200;
};

// A ROUTER that sends every frame back to its sender, until it receives an empty frame.
void echo_server(zmq::context_t& context, const std::string& endpoint, bool busy,
                 std::atomic<bool>& bound) {
  zmq::socket_t router(context, zmq::socket_type::router);
  router.set(zmq::sockopt::linger, 0);
  router.bind(endpoint);
  bound = true;
  for (;;) {
    zmq::message_t identity;
    zmq::message_t payload;
    const auto flags = busy ? zmq::recv_flags::dontwait : zmq::recv_flags::none;
    if (!router.recv(identity, flags)) {
      guiju::cpu_relax();
      continue;
    }
    (void)router.recv(payload, zmq::recv_flags::none);
    if (payload.size() == 0) return;
    (void)router.send(identity, zmq::send_flags::sndmore);
    (void)router.send(payload, zmq::send_flags::none);
  }
}

struct Side {
  std::vector<uint64_t> samples;
  uint64_t failures = 0;
};

// One block: `warmup` unmeasured round trips, then `samples` measured ones.
void measure(InferClient& client, bool busy, const Settings& s, bool service, Side& side) {
  std::vector<float> x = guiju::test::random_floats(64, 11);
  InferRequestFields f;
  f.name = "mlp";
  f.rows = 1;
  f.row_elements = 64;
  for (int i = 0; i < s.warmup + s.samples; ++i) {
    x[static_cast<size_t>(i) % 64] += 1e-3F;
    f.request_id = static_cast<uint64_t>(i + 1);
    bool ok = false;
    const uint64_t t0 = tsc();
    if (!client.send(f, x)) std::abort();
    for (;;) {
      if (!busy) client.wait(std::chrono::milliseconds(1000));
      if (client.poll_replies([&](const ClientReply& r) {
            ok = service ? !r.undecodable && r.kind == MessageKind::kInferReply &&
                               r.infer.fields.status == ReplyStatus::kOk &&
                               r.infer.fields.request_id == f.request_id
                         : r.kind == MessageKind::kInferRequest;
          }) > 0) {
        break;
      }
    }
    const uint64_t t1 = tsc();
    if (i >= s.warmup) {
      side.samples.push_back(t1 - t0);
      if (!ok) ++side.failures;
    }
  }
}

void run_echo_block(const std::filesystem::path& dir, int block, bool busy, const Settings& s,
                    Side& side) {
  zmq::context_t context(1);
  const std::string endpoint =
      "ipc://" + (dir / ("echo-" + std::to_string(block) + ".ipc")).string();
  std::atomic<bool> bound{false};
  std::thread server([&] { echo_server(context, endpoint, busy, bound); });
  while (!bound) std::this_thread::yield();
  {
    InferClient client(endpoint);
    measure(client, busy, s, false, side);
    (void)client.send_raw({});  // stops the echo
  }
  server.join();
}

// A service of its own per block, as a process started for it would be: a batcher stops for
// good when its front end stops (it answers unavailable from then on).
void run_service_block(const std::filesystem::path& dir, int block, bool busy, const Settings& s,
                       Side& side) {
  BatcherOptions bo;
  bo.repository = dir / "repo";
  Batcher batcher(bo);
  batcher.load_now("mlp", "1");
  FrontEndOptions o;
  o.endpoints = {"ipc://" + (dir / ("inferd-" + std::to_string(block) + ".ipc")).string()};
  o.busy_poll = busy;
  o.batcher_on_io_thread = true;
  o.linger_ms = 0;
  o.max_in_flight = 64;
  ZmqFrontEnd front(batcher, o);
  std::thread server([&] { front.run(); });
  {
    InferClient client(o.endpoints[0]);
    measure(client, busy, s, true, side);
  }
  front.request_stop();
  server.join();
}

double pct(std::vector<uint64_t>& v, double q) {
  return guiju::bench::percentile_ns(v, q) / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--blocks") {
      s.blocks = value;
    } else if (flag == "--samples") {
      s.samples = value;
    } else if (flag == "--warmup") {
      s.warmup = value;
    } else {
      std::fprintf(stderr, "inferd_roundtrip_bench: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  if (s.blocks < 1 || s.samples < 1 || s.warmup < 0) {
    std::fprintf(stderr, "inferd_roundtrip_bench: --blocks and --samples must be at least 1\n");
    return 2;
  }
  guiju::bench::tsc_per_ns();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("guiju-inferd-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  guiju::test::write_mlp_version(dir / "repo", "mlp", "1", 1, 16, 0);

  bool all_met = true;
  std::printf(
      "ipc:// round trip, batch 1, MLP 64-256-256-1 on the CPU backend; %d blocks of %d "
      "samples per side and mode (after %d unmeasured)\n",
      s.blocks, s.samples, s.warmup);
  std::printf("%-10s %-8s %9s %9s %9s %9s %9s\n", "mode", "side", "p50 us", "p90 us", "p99 us",
              "p99.9 us", "failures");
  for (const bool busy : {false, true}) {
    Side service;
    Side echo;
    for (int b = 0; b < s.blocks; ++b) {
      const int block = (busy ? 1000 : 0) + b;
      if (b % 2 == 0) {
        run_service_block(dir, block, busy, s, service);
        run_echo_block(dir, block, busy, s, echo);
      } else {
        run_echo_block(dir, block, busy, s, echo);
        run_service_block(dir, block, busy, s, service);
      }
    }
    const char* mode = busy ? "busy-poll" : "blocking";
    const double service_p50 = pct(service.samples, 0.5);
    const double echo_p50 = pct(echo.samples, 0.5);
    for (auto* side : {&service, &echo}) {
      std::printf("%-10s %-8s %9.1f %9.1f %9.1f %9.1f %9llu\n", mode,
                  side == &service ? "service" : "echo", pct(side->samples, 0.5),
                  pct(side->samples, 0.9), pct(side->samples, 0.99), pct(side->samples, 0.999),
                  static_cast<unsigned long long>(side->failures));
    }
    std::printf("%-10s ratio p50 %.3f, p99 %.3f\n", mode, service_p50 / echo_p50,
                pct(service.samples, 0.99) / pct(echo.samples, 0.99));
    all_met = service.failures == 0 && all_met;
    const std::string what = std::string(mode) + ": service p50 / echo p50";
    all_met = guiju::bench::print_target(what.c_str(), service_p50 / echo_p50, 1.3, false, "x") &&
              all_met;
  }
  std::filesystem::remove_all(dir);
  return all_met ? 0 : 1;
}

// guiju-inferd: the inference service. Loads models from a repository and serves them over
// ZeroMQ and/or HTTP (KServe v2) with dynamic batching across both (docs/inference.md, "The
// service"). Thin: parses the command line, loads the models, binds, runs the front ends until
// SIGTERM or SIGINT.

#include <pthread.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <csignal>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "core/logging/log.hpp"
#include "core/service/sd_notify.hpp"
#include "guiju/version.hpp"
#include "inference/onnx/model_error.hpp"
#include "inference/protocol/frame_header.hpp"
#include "inference/runtime/model_repository.hpp"
#include "inference/server/batcher.hpp"
#include "inference/server/http_front_end.hpp"
#include "inference/server/zmq_front_end.hpp"

namespace {

namespace fs = std::filesystem;
using namespace guiju::inference;

struct Arguments {
  std::string repository;
  std::vector<std::string> listen;
  std::vector<std::string> http;
  size_t http_max_connections = 256;
  std::vector<std::string> models;
  bool busy_poll = false;
  int threads = 0;
  size_t queue_capacity = 1024;
  size_t max_in_flight = 4096;
  std::string log_level = "info";
};

int fail(const std::string& message) {
  std::cerr << "guiju-inferd: " << message << "\n";
  return 1;
}

// NAME or NAME:VERSION, each a repository directory name.
bool split_model(const std::string& text, std::string& name, std::string& version,
                 std::string& error) {
  const size_t colon = text.find(':');
  name = text.substr(0, colon);
  version = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (colon != std::string::npos && version.empty()) {
    error = "--model " + text + ": the version after ':' is empty";
    return false;
  }
  const DecodeError e = check_name(name, "name", 0, true);
  const DecodeError v = check_name(version, "version", 0, false);
  if (e || v) {
    error = "--model " + text + ": the " + (e ? "name" : "version") + " " +
            (e ? e.problem : v.problem) + " (expected NAME or NAME:VERSION)";
    return false;
  }
  return true;
}

std::string hex_prefix(const std::array<uint8_t, 32>& sha) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < 6; ++i) {
    s.push_back(kDigits[sha[i] >> 4]);
    s.push_back(kDigits[sha[i] & 0xf]);
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  // SIGTERM and SIGINT are taken by one thread with sigwait(), so they are blocked before any
  // other thread (ZeroMQ's, the loader's) exists and inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  CLI::App app{
      "guiju-inferd: serves ONNX models from a model repository over ZeroMQ, with "
      "dynamic batching"};
  app.set_version_flag("--version", std::string("guiju-inferd ") + guiju::kVersion);
  Arguments a;
  app.add_option("--repository", a.repository, "Model repository: DIR/NAME/VERSION/model.onnx")
      ->required();
  app.add_option("--listen", a.listen,
                 "ZeroMQ endpoint to serve on, repeatable: tcp://HOST:PORT, ipc://PATH");
  app.add_option("--http", a.http,
                 "KServe v2 HTTP endpoint to serve on, repeatable: HOST:PORT (port 0: the kernel "
                 "picks one)");
  app.add_option("--http-max-connections", a.http_max_connections,
                 "HTTP connections open at once; one more is answered 503 and closed")
      ->check(CLI::Range(1, 1 << 16));
  app.add_option("--model", a.models,
                 "NAME or NAME:VERSION to load, repeatable (default: the latest version of every "
                 "model in the repository)");
  app.add_flag("--busy-poll", a.busy_poll,
               "Spin instead of sleeping while idle (lowest latency; holds a core per thread)");
  app.add_option("--threads", a.threads,
                 "Batcher threads: 0 runs batches on the I/O thread (lowest latency), 1 on a "
                 "thread of their own")
      ->check(CLI::Range(0, 1));
  app.add_option("--queue-capacity", a.queue_capacity,
                 "Requests waiting per model version; more are answered overloaded")
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--max-in-flight", a.max_in_flight,
                 "Requests received and not yet answered; more are answered overloaded")
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--log-level", a.log_level, "trace, debug, info, warn, error or off");
  CLI11_PARSE(app, argc, argv);

  if (a.listen.empty() && a.http.empty()) {
    return fail("nothing to serve on: give --listen (ZeroMQ) or --http (KServe v2), or both");
  }
  const fs::path repository(a.repository);
  if (!fs::is_directory(repository)) {
    return fail("--repository " + a.repository + ": no such directory");
  }
  std::vector<std::pair<std::string, std::string>> wanted;
  for (const std::string& m : a.models) {
    std::string name;
    std::string version;
    std::string error;
    if (!split_model(m, name, version, error)) return fail(error);
    wanted.emplace_back(name, version);
  }
  if (wanted.empty()) {
    std::vector<std::string> names;
    for (const fs::directory_entry& e : fs::directory_iterator(repository)) {
      if (e.is_directory() && !model_versions(repository, e.path().filename().string()).empty()) {
        names.push_back(e.path().filename().string());
      }
    }
    std::sort(names.begin(), names.end());
    if (names.empty()) {
      return fail("--repository " + a.repository +
                  ": no model in it (expected NAME/VERSION/model.onnx with config.yaml)");
    }
    for (const std::string& n : names) wanted.emplace_back(n, "");
  }

  try {
    guiju::LogOptions log_options;
    log_options.level = a.log_level;
    guiju::init_logging(log_options);
  } catch (const std::exception& e) {
    return fail(std::string("--log-level: ") + e.what());
  }

  int exit_code = 0;
  try {
    BatcherOptions batcher_options;
    batcher_options.repository = repository;
    batcher_options.queue_capacity = a.queue_capacity;
    Batcher batcher(batcher_options);
    std::string models_text;
    for (const auto& [name, version] : wanted) {
      const ServedModel& m = batcher.load_now(name, version);
      guiju::log().info(
          "guiju-inferd: loaded {} version {} ({} backend, max_batch {}, "
          "max_queue_delay_us {}, sha256 {})",
          m.name(), m.version(), m.config.backend, m.max_batch, m.config.max_queue_delay_ns / 1000,
          m.executor->info().sha256);
      models_text += (models_text.empty() ? "" : ", ") + m.name() + " " + m.version() + " (" +
                     hex_prefix(m.sha256) + ")";
    }
    std::unique_ptr<ZmqFrontEnd> front;
    if (!a.listen.empty()) {
      FrontEndOptions front_options;
      front_options.endpoints = a.listen;
      front_options.busy_poll = a.busy_poll;
      front_options.batcher_on_io_thread = a.threads == 0;
      front_options.max_in_flight = a.max_in_flight;
      front = std::make_unique<ZmqFrontEnd>(batcher, front_options);
    }
    std::unique_ptr<HttpFrontEnd> http;
    if (!a.http.empty()) {
      HttpFrontEndOptions http_options;
      http_options.endpoints = a.http;
      http_options.max_connections = a.http_max_connections;
      http_options.server_version = guiju::kVersion;
      http = std::make_unique<HttpFrontEnd>(batcher, http_options);
    }

    // The HTTP front end's I/O thread. Should it fail, the service stops rather than serve on
    // without it.
    struct HttpThread {
      HttpFrontEnd* front = nullptr;
      std::thread thread;
      void stop() {
        if (!thread.joinable()) return;
        front->request_stop();
        thread.join();
      }
      ~HttpThread() { stop(); }
    } http_thread{http.get(), {}};
    if (http) {
      http_thread.thread = std::thread([&] {
        try {
          http->run();
        } catch (const std::exception& e) {
          guiju::log().error("guiju-inferd: http front end failed: {}", e.what());
          kill(getpid(), SIGTERM);
        }
      });
    }

    // Ends with the signal that stops the service, or with the one it is sent itself when
    // serving fails (so that it is never left running). HTTP stops first: it stops taking
    // requests and finishes those in hand while the batcher still serves; then ZeroMQ, whose
    // stop has the batcher compute what is queued.
    struct SignalThread {
      std::thread thread;
      ~SignalThread() {
        if (!thread.joinable()) return;
        pthread_kill(thread.native_handle(), SIGINT);
        thread.join();
      }
    } signals{std::thread([&] {
      int signal_number = 0;
      sigwait(&stop_signals, &signal_number);
      guiju::log().info("guiju-inferd: {} received: stopping",
                        signal_number == SIGINT ? "SIGINT" : "SIGTERM");
      guiju::service_notifier().stopping();
      http_thread.stop();
      if (front) front->request_stop();
    })};
    std::string endpoints;
    const auto add = [&](const std::vector<std::string>& list) {
      for (const std::string& e : list) endpoints += (endpoints.empty() ? "" : " ") + e;
    };
    if (front) add(front->endpoints());
    if (http) add(http->endpoints());
    std::printf("guiju-inferd %s ready: listening on %s; models: %s\n", guiju::kVersion,
                endpoints.c_str(), models_text.c_str());
    std::fflush(stdout);
    // Bound and models loaded: requests are served from here on (the sockets queue them until
    // they are read), so a Type=notify unit may start the engines that depend on it.
    guiju::service_notifier().notify("READY=1\nSTATUS=serving on " + endpoints +
                                     "; models: " + models_text);
    if (front) {
      front->run();
      signals.thread.join();
    } else {
      // HTTP alone: the batches run on a thread of the batcher's own.
      batcher.start(a.busy_poll);
      signals.thread.join();
      batcher.stop();
    }
  } catch (const ModelError& e) {
    exit_code = fail(std::string("cannot load a model: ") + e.what());
  } catch (const std::exception& e) {
    exit_code = fail(e.what());
  }
  guiju::shutdown_logging();
  return exit_code;
}

// Wire to wire on loopback: a market-data message sent by the venue -> the NewOrderSingle it
// triggers arriving back at the venue, for `guiju run` in live mode (the sample taker strategy,
// risk checks and the audit journal on) and, in the same run, for a bare QuickFIX application that
// answers each market-data message with a NewOrderSingle (the baseline).
//
// This process plays the venue: one QuickFIX acceptor with a market-data and an order-entry
// session per side. Each sample is one MarketDataSnapshotFullRefresh (W) whose best offer moves,
// stamped with the TSC just before it is handed to QuickFIX, and the D that answers it, stamped
// first thing in the venue's fromApp. One message is in flight at a time; the D is matched to
// its W by price (every W has a new best offer), so a late or missing D is counted, never timed
// against the wrong W. Off the timed path, each D is answered with an ExecutionReport that ends
// the order (IOC expired, nothing filled), so the engine's open orders and positions stay flat.
//
// Every side runs as its own process (guiju: the real binary, once with its engine thread reading
// the FIX sessions, as configured by default, and once with QuickFIX threads reading them and
// handing over; the baseline: this program started again with --baseline-client), started once
// and measured in rotating blocks. The sides not being measured are stopped (SIGSTOP): guiju's
// engine loop spins for a while after each event, and on a machine with few cores it would take a
// core from the side being measured. Rotating blocks put every side through the same phases of a
// noisy machine.
// Usage: fix_wire_latency_bench [--samples N] [--warmup N] [--block N] [--block-warmup N]
//                               [--gap-us N] [--timeout-ms N] [--json FILE] [--keep-temp]

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "adapters/fix/quickfix.hpp"
#include "bench/bench_support.hpp"
#include "bench/bench_temp_dir.hpp"
#include "core/model/fixed_point.hpp"

namespace guiju {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

constexpr const char* kBeginString = "FIX.4.4";
constexpr const char* kVenueCompId = "WB-VENUE";
constexpr const char* kSymbol = "600000";
constexpr const char* kAccountTag = "WB-1";  // Account(1) on every order, both sides

// guiju as configured by default (its engine thread reads both FIX sessions), the bare baseline,
// and guiju with each session read by a QuickFIX thread of its own and handed over
// (fix.market_data_thread and fix.orders_thread: own), so the two ways are compared in one run.
enum SideIndex : size_t { kGuiju = 0, kBaseline = 1, kGuijuOwnThread = 2, kSides = 3 };
constexpr std::array<const char*, kSides> kSideName = {"guiju", "baseline", "guiju-own"};
constexpr std::array<const char*, kSides> kMdCompId = {"GJ-MD", "BL-MD", "GO-MD"};
constexpr std::array<const char*, kSides> kOrdCompId = {"GJ-ORD", "BL-ORD", "GO-ORD"};

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int /*signal*/) {
  g_interrupted.store(true);
}

struct Options {
  size_t samples = 100'000;       // measured, per side
  size_t warmup = 5'000;          // per side after logon, not measured
  size_t block = 1'000;           // measured samples per block; the sides alternate by blocks
  size_t block_warmup = 50;       // unmeasured samples at the start of each block
  uint32_t gap_us = 0;            // pause between samples
  uint32_t timeout_ms = 1'000;    // a D not back by then is missing
  uint32_t logon_timeout_s = 20;  // both sessions up and subscribed, or the side fails
  std::string json;
  bool keep_temp = false;
};

// ------------------------------------------------------------------------------------------------
// Small helpers

// The prices of sample k: the best offer moves one tick every sample over 8,000 ticks (10.01 to
// 90.00), so that the strategy trades on every update, no order repeats the terms of one sent in
// the last 8,000 (the duplicate-order guard stays on), and a D names the W it answers.
constexpr int64_t kFirstAskTicks = 1'001;
constexpr int64_t kAskCycle = 8'000;
int64_t ask_ticks(uint64_t k) {
  return kFirstAskTicks + static_cast<int64_t>(k % kAskCycle);
}
std::string ticks_to_text(int64_t ticks) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(ticks / 100),
                static_cast<long long>(ticks % 100));
  return buf;
}
// A price as sent on the wire, in ticks of 0.01 (-1 when it is not one).
int64_t text_to_ticks(const std::string& text) {
  const std::optional<Price> p = Price::parse(text);
  if (!p) return -1;
  const int64_t tick = Price::kScale / 100;
  return p->raw() % tick == 0 ? p->raw() / tick : -1;
}

std::string errno_text() {
  return std::error_code(errno, std::generic_category()).message();
}

std::string utc_timestamp_now() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  const auto seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d-%02d:%02d:%02d.%03d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

FIX::Message start_message(const char* msg_type) {
  FIX::Message m;
  m.getHeader().setField(FIX::BeginString(kBeginString));
  m.getHeader().setField(FIX::MsgType(msg_type));
  return m;
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string tail_of(const fs::path& path, size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const auto size = static_cast<size_t>(in.tellg());
  const size_t from = size > bytes ? size - bytes : 0;
  in.seekg(static_cast<std::streamoff>(from));
  std::string text(size - from, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return text;
}

// A loopback port nobody listens on now (the acceptor binds it right after).
int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket: " + errno_text());
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t length = sizeof a;
  // NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("bind 127.0.0.1:0: " + errno_text());
  }
  // NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
  ::close(fd);
  return ntohs(a.sin_port);
}

// A process this program started; stopped (SIGTERM, then SIGKILL) and reaped by its pid, never
// by name. PR_SET_PDEATHSIG ends it if this program dies first.
class Child {
 public:
  Child() = default;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() { stop(std::chrono::seconds(10)); }

  void start(const std::vector<std::string>& args, const fs::path& cwd, const fs::path& log) {
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const std::string dir = cwd.string();
    const std::string log_path = log.string();
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork: " + errno_text());
    if (pid == 0) {
      // Only async-signal-safe calls until exec: the parent has threads.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(127);
      const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::close(fd);
      }
      if (::chdir(dir.c_str()) != 0) ::_exit(126);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    pid_ = pid;
  }

  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == 0) return true;
    pid_ = -1;
    status_ = status;
    return false;
  }

  // SIGSTOP and SIGCONT: the side not being measured takes no CPU time (its engine loop would
  // otherwise spin on one of the cores the measured side needs).
  void pause() const {
    if (pid_ > 0) ::kill(pid_, SIGSTOP);
  }
  void resume() const {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
  }

  // SIGTERM, up to `grace` to exit, then SIGKILL. Returns the exit status as waitpid gives it.
  int stop(std::chrono::milliseconds grace) {
    if (!running()) return status_;
    ::kill(pid_, SIGCONT);  // a stopped process acts on SIGTERM only once continued
    ::kill(pid_, SIGTERM);
    const auto until = SteadyClock::now() + grace;
    while (running() && SteadyClock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (pid_ > 0) {
      std::fprintf(stderr, "process %d did not stop within %lld ms: SIGKILL\n",
                   static_cast<int>(pid_), static_cast<long long>(grace.count()));
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status_, 0);
      pid_ = -1;
    }
    return status_;
  }

 private:
  pid_t pid_ = -1;
  int status_ = 0;
};

// ------------------------------------------------------------------------------------------------
// The venue: the acceptor's application. QuickFIX's acceptor thread calls it; the measuring
// thread sends the market data and waits for the D.

class Venue final : public FIX::Application {
 public:
  Venue() {
    for (size_t s = 0; s < kSides; ++s) {
      md_[s] = FIX::SessionID(kBeginString, kVenueCompId, kMdCompId[s]);
      ord_[s] = FIX::SessionID(kBeginString, kVenueCompId, kOrdCompId[s]);
    }
  }

  // After the acceptor made its sessions.
  void find_sessions() {
    for (size_t s = 0; s < kSides; ++s) {
      md_session_[s] = FIX::Session::lookupSession(md_[s]);
      ord_session_[s] = FIX::Session::lookupSession(ord_[s]);
      if (md_session_[s] == nullptr || ord_session_[s] == nullptr) {
        throw std::runtime_error("the venue's sessions were not created");
      }
    }
  }

  struct Up {
    bool market_data = false;
    bool orders = false;
    bool subscribed = false;
  };
  Up up(size_t s) const { return {md_up_[s].load(), ord_up_[s].load(), subscribed_[s].load()}; }

  // Sends sample k of side s and waits for the D it triggers: the latency in TSC ticks, or
  // nothing when no D for it came back within the timeout.
  std::optional<uint64_t> round_trip(size_t s, uint64_t k, std::chrono::milliseconds timeout) {
    const int64_t ask = ask_ticks(k);
    FIX::Message w = snapshot(s, ask);  // built before the clock starts
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      active_side_ = s;
      expected_ticks_ = ask;
      waiting_ = true;
      matched_ = false;
    }
    const uint64_t t0 = bench::tsc();
    md_session_[s]->send(w);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait_for(lock, timeout, [&] { return matched_; });
    waiting_ = false;
    if (!matched_) return std::nullopt;
    return arrived_ - t0;
  }

  uint64_t unmatched(size_t s) const { return unmatched_[s].load(); }
  uint64_t orders(size_t s) const { return orders_[s].load(); }

  // FIX::Application
  void onCreate(const FIX::SessionID& /*id*/) override {}
  void onLogon(const FIX::SessionID& id) override {
    for (size_t s = 0; s < kSides; ++s) {
      if (id == md_[s]) md_up_[s] = true;
      if (id == ord_[s]) ord_up_[s] = true;
    }
  }
  void onLogout(const FIX::SessionID& id) override {
    for (size_t s = 0; s < kSides; ++s) {
      if (id == md_[s]) {
        md_up_[s] = false;
        subscribed_[s] = false;
      }
      if (id == ord_[s]) ord_up_[s] = false;
    }
  }
  void toAdmin(FIX::Message& /*m*/, const FIX::SessionID& /*id*/) override {}
  void toApp(FIX::Message& /*m*/, const FIX::SessionID& /*id*/) override {}
  void fromAdmin(const FIX::Message& /*m*/, const FIX::SessionID& /*id*/) override {}
  void fromApp(const FIX::Message& m, const FIX::SessionID& id) override {
    const uint64_t arrived = bench::tsc();  // first thing: the D is at the venue
    const std::string& type = m.getHeader().getField(FIX::FIELD::MsgType);
    for (size_t s = 0; s < kSides; ++s) {
      if (type == "D" && id == ord_[s]) return on_order(s, m, arrived);
      if (type == "V" && id == md_[s]) return on_subscribe(s, m);
    }
  }

 private:
  FIX::Message snapshot(size_t s, int64_t ask) {
    FIX::Message w = start_message("W");
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      w.setField(FIX::FIELD::MDReqID, md_req_id_[s]);
    }
    w.setField(FIX::FIELD::Symbol, kSymbol);
    const std::array<std::pair<char, int64_t>, 2> levels = {{{'0', ask - 1}, {'1', ask}}};
    for (const auto& [type, ticks] : levels) {
      FIX::Group entry(FIX::FIELD::NoMDEntries, FIX::FIELD::MDEntryType);
      entry.setField(FIX::FIELD::MDEntryType, std::string(1, type));
      entry.setField(FIX::FIELD::MDEntryPx, ticks_to_text(ticks));
      entry.setField(FIX::FIELD::MDEntrySize, "1000");
      w.addGroup(entry);
    }
    return w;
  }

  void on_subscribe(size_t s, const FIX::Message& m) {
    const bool subscribe = m.getField(FIX::FIELD::SubscriptionRequestType) == "1";
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      md_req_id_[s] = m.getField(FIX::FIELD::MDReqID);
    }
    subscribed_[s] = subscribe;
  }

  // Ends the order at once (IOC, nothing filled) and hands the arrival time to the waiting
  // measurement when the D answers the W in flight.
  void on_order(size_t s, const FIX::Message& d, uint64_t arrived) {
    orders_[s].fetch_add(1, std::memory_order_relaxed);
    const int64_t ticks =
        d.isSetField(FIX::FIELD::Price) ? text_to_ticks(d.getField(FIX::FIELD::Price)) : -1;
    FIX::Message r = start_message("8");
    const uint64_t n = ++executions_;
    r.setField(FIX::FIELD::OrderID, "WB" + std::to_string(n));
    r.setField(FIX::FIELD::ExecID, "WBX" + std::to_string(n));
    r.setField(FIX::FIELD::ClOrdID, d.getField(FIX::FIELD::ClOrdID));
    r.setField(FIX::FIELD::ExecType, "C");  // expired: the IOC found nothing to trade with
    r.setField(FIX::FIELD::OrdStatus, "C");
    for (const int tag :
         {FIX::FIELD::Account, FIX::FIELD::Symbol, FIX::FIELD::Side, FIX::FIELD::OrderQty,
          FIX::FIELD::OrdType, FIX::FIELD::Price, FIX::FIELD::TimeInForce}) {
      if (d.isSetField(tag)) r.setField(tag, d.getField(tag));
    }
    r.setField(FIX::FIELD::LeavesQty, "0");
    r.setField(FIX::FIELD::CumQty, "0");
    r.setField(FIX::FIELD::AvgPx, "0");
    r.setField(FIX::FIELD::TransactTime, utc_timestamp_now());
    ord_session_[s]->send(r);
    bool matched = false;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (waiting_ && !matched_ && active_side_ == s && ticks == expected_ticks_) {
        arrived_ = arrived;
        matched_ = true;
        matched = true;
      }
    }
    if (matched) {
      done_.notify_one();
    } else {
      unmatched_[s].fetch_add(1, std::memory_order_relaxed);
    }
  }

  std::array<FIX::SessionID, kSides> md_;
  std::array<FIX::SessionID, kSides> ord_;
  std::array<FIX::Session*, kSides> md_session_{};
  std::array<FIX::Session*, kSides> ord_session_{};
  std::array<std::atomic<bool>, kSides> md_up_{};
  std::array<std::atomic<bool>, kSides> ord_up_{};
  std::array<std::atomic<bool>, kSides> subscribed_{};
  std::array<std::atomic<uint64_t>, kSides> unmatched_{};  // late, repeated or unexpected D
  std::array<std::atomic<uint64_t>, kSides> orders_{};
  uint64_t executions_ = 0;  // the acceptor's thread only

  std::mutex mutex_;
  std::condition_variable done_;
  std::array<std::string, kSides> md_req_id_;
  size_t active_side_ = 0;
  int64_t expected_ticks_ = -1;
  bool waiting_ = false;
  bool matched_ = false;
  uint64_t arrived_ = 0;
};

// ------------------------------------------------------------------------------------------------
// Session settings. Both sides' initiators get the same settings as configs/fix/engine-*.cfg:
// TCP_NODELAY, heartbeats every 5 s, a file store and a file log per session, the FIX 4.4
// dictionary validating every message. Only the CompIDs and the paths differ.

std::string initiator_settings(const std::string& sender, int port, const fs::path& dir,
                               const std::string& dictionary, bool order_session) {
  std::string s;
  s += "[DEFAULT]\nConnectionType=initiator\nBeginString=FIX.4.4\n";
  s += "StartTime=00:00:00\nEndTime=00:00:00\nHeartBtInt=5\nReconnectInterval=1\n";
  s += "SocketConnectHost=127.0.0.1\nSocketConnectPort=" + std::to_string(port) + "\n";
  s += "SocketNodelay=Y\n";
  s += "FileStorePath=" + (dir / (sender + "-store")).string() + "\n";
  s += "FileLogPath=" + (dir / (sender + "-log")).string() + "\n";
  s += "UseDataDictionary=Y\nDataDictionary=" + dictionary + "\n";
  if (order_session) s += "ValidateUserDefinedFields=N\n";
  s += "\n[SESSION]\nSenderCompID=" + sender + "\nTargetCompID=" + kVenueCompId + "\n";
  return s;
}

// The venue keeps no log and its store in memory: it is the same for both sides, and the less it
// does, the less of the measured time is its own. ResetOnLogon: each run's initiators start from
// sequence number 1.
std::string acceptor_settings(int port, const std::string& dictionary) {
  std::string s;
  s += "[DEFAULT]\nConnectionType=acceptor\nBeginString=FIX.4.4\n";
  s += std::string("SenderCompID=") + kVenueCompId + "\n";
  s += "SocketAcceptHost=127.0.0.1\nSocketAcceptPort=" + std::to_string(port) + "\n";
  s += "SocketReuseAddress=Y\nSocketNodelay=Y\nResetOnLogon=Y\n";
  s += "StartTime=00:00:00\nEndTime=00:00:00\nNonStopSession=Y\n";
  s += "UseDataDictionary=Y\nDataDictionary=" + dictionary + "\n";
  for (size_t side = 0; side < kSides; ++side) {
    s += std::string("\n[SESSION]\nTargetCompID=") + kMdCompId[side] + "\n";
    s += std::string("\n[SESSION]\nTargetCompID=") + kOrdCompId[side] + "\n";
  }
  return s;
}

// `guiju run` in live mode against the venue: the taker plugin, the pre-trade checks and the audit
// journal on.
std::string guiju_config(const fs::path& dir, size_t orders, bool engine_thread) {
  std::string s;
  s += "mode: live\ntrading_date: \"20261127\"\n\n";
  s += "engine:\n";
  // Every order of the run has a slot: the OMS pre-allocates them.
  s += "  max_orders: " + std::to_string(orders) + "\n";
  s += "  order_ring_capacity: 65536\n  inbound_ring_capacity: 65536\n";
  s += "  order_ring_policy: fail\n  client_order_id_prefix: WB\n";
  s += "  state_dir: " + (dir / "state").string() + "\n\n";
  s += "logging:\n  level: warn\n  console: true\n\n";
  s += "instruments:\n  - { symbol: \"";
  s += kSymbol;
  s += "\", venue: SSE, tick_size: \"0.01\", lot_size: 100, board: main, currency: CNY, "
       "previous_close: \"20.00\" }\n\n";
  // A filed high-frequency account: the default throttles stop an account at 299 order messages
  // a second and 19,999 a day, and the benchmark sends thousands a second and 100,000s a run. The
  // throttle still counts and checks every order against the filed figures.
  s += "accounts:\n  - name: bench\n    filed_peak_per_second: 1000000\n";
  s += "    filed_per_day: 1000000000\n\n";
  s += std::string("plugins:\n  directories: [") + GUIJU_STRATEGY_DIR + "]\n\n";
  s += "strategies:\n  - name: taker\n    plugin: taker.so\n    type: taker\n";
  s += "    account: bench\n    instruments: [\"";
  s += kSymbol;
  s += "\"]\n    parameters: { order_lots: 1, max_position_lots: 100 }\n\n";
  // Every pre-trade check runs with limits the benchmark's orders stay inside: 100 shares at most
  // 90.00, at most a few working at once (the IOC's expiry and the next W may cross), never a
  // fill. The best offer moves every sample, so the duplicate guard sees no repeat in its window.
  s += "risk:\n";
  s += "  max_order_quantity: 1000\n  max_order_value: \"100000\"\n  max_open_orders: 1000\n";
  s += "  max_long_position: 10000\n  max_short_position: 10000\n";
  s += "  max_gross_exposure: \"10000000\"\n  max_net_exposure: \"10000000\"\n";
  s += "  daily_loss_limit: \"100000\"\n  stale_quote_ms: 5000\n  duplicate_window_ms: 20\n";
  s += "  max_cancel_ratio: 100\n  cancel_ratio_min_orders: 1000\n";
  s += "  price_collar: { percent: 5, reference: mid }\n\n";
  s += "fix:\n  orders: " + (dir / "orders.cfg").string() + "\n";
  s += "  market_data: " + (dir / "md.cfg").string() + "\n";
  s += std::string("  market_data_thread: ") + (engine_thread ? "engine" : "own") + "\n";
  s += std::string("  orders_thread: ") + (engine_thread ? "engine" : "own") + "\n";
  s += std::string("  accounts: { bench: \"") + kAccountTag + "\" }\n\n";
  // As configs/live.yaml: the hash-chained journal of every input and decision, synced every 2 ms
  // by its own thread.
  s += "audit:\n  directory: " + (dir / "journal").string() + "\n";
  s += "  durability: interval\n  sync_interval_us: 2000\n";
  return s;
}

// ------------------------------------------------------------------------------------------------
// The baseline: a bare QuickFIX application, no engine. Its market-data session subscribes at
// logon; each W it receives is answered, on the same QuickFIX thread, by a D on its order session:
// an IOC limit buy of 100 at the best offer, with the fields guiju's D carries.

class BareTaker final : public FIX::Application {
 public:
  BareTaker(FIX::SessionID md, FIX::SessionID orders)
      : md_(std::move(md)), ord_(std::move(orders)) {}

  void onCreate(const FIX::SessionID& /*id*/) override {}
  void onLogon(const FIX::SessionID& id) override {
    if (!(id == md_)) return;
    FIX::Message v = start_message("V");
    v.setField(FIX::FIELD::MDReqID, "BL-" + std::to_string(++subscriptions_));
    v.setField(FIX::FIELD::SubscriptionRequestType, "1");
    v.setField(FIX::FIELD::MarketDepth, "10");
    v.setField(FIX::FIELD::MDUpdateType, "1");
    for (const char* type : {"0", "1", "2"}) {
      FIX::Group g(FIX::FIELD::NoMDEntryTypes, FIX::FIELD::MDEntryType);
      g.setField(FIX::FIELD::MDEntryType, type);
      v.addGroup(g);
    }
    FIX::Group sym(FIX::FIELD::NoRelatedSym, FIX::FIELD::Symbol);
    sym.setField(FIX::FIELD::Symbol, kSymbol);
    v.addGroup(sym);
    FIX::Session::sendToTarget(v, md_);
  }
  void onLogout(const FIX::SessionID& /*id*/) override {}
  void toAdmin(FIX::Message& /*m*/, const FIX::SessionID& /*id*/) override {}
  void toApp(FIX::Message& /*m*/, const FIX::SessionID& /*id*/) override {}
  void fromAdmin(const FIX::Message& /*m*/, const FIX::SessionID& /*id*/) override {}
  void fromApp(const FIX::Message& m, const FIX::SessionID& id) override {
    if (!(id == md_) || m.getHeader().getField(FIX::FIELD::MsgType) != "W") return;
    const size_t entries = m.groupCount(FIX::FIELD::NoMDEntries);
    for (size_t i = 1; i <= entries; ++i) {
      const FIX::FieldMap& e = m.getGroupRef(static_cast<int>(i), FIX::FIELD::NoMDEntries);
      if (e.getField(FIX::FIELD::MDEntryType) != "1" || !e.isSetField(FIX::FIELD::MDEntryPx)) {
        continue;
      }
      FIX::Message d = start_message("D");
      d.setField(FIX::FIELD::ClOrdID, "BL20261127-" + std::to_string(++orders_));
      d.setField(FIX::FIELD::Symbol, kSymbol);
      d.setField(FIX::FIELD::Side, "1");
      d.setField(FIX::FIELD::TransactTime, utc_timestamp_now());
      d.setField(FIX::FIELD::OrderQty, "100");
      d.setField(FIX::FIELD::OrdType, "2");
      d.setField(FIX::FIELD::Price, e.getField(FIX::FIELD::MDEntryPx));
      d.setField(FIX::FIELD::TimeInForce, "3");
      d.setField(FIX::FIELD::Account, kAccountTag);
      if (orders_session_ == nullptr) orders_session_ = FIX::Session::lookupSession(ord_);
      if (orders_session_ != nullptr) orders_session_->send(d);
      return;
    }
  }

 private:
  FIX::SessionID md_;
  FIX::SessionID ord_;
  FIX::Session* orders_session_ = nullptr;
  uint64_t subscriptions_ = 0;
  uint64_t orders_ = 0;
};

// The baseline client's main: until SIGTERM or SIGINT.
int run_baseline_client(const fs::path& dir) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  // Blocked before QuickFIX starts its threads, which inherit the mask: only sigwait takes them.
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  try {
    FIX::SessionSettings md((dir / "md.cfg").string());
    FIX::SessionSettings orders((dir / "orders.cfg").string());
    BareTaker app(*md.getSessions().begin(), *orders.getSessions().begin());
    FIX::FileStoreFactory md_store(md);
    FIX::FileLogFactory md_log(md);
    FIX::FileStoreFactory orders_store(orders);
    FIX::FileLogFactory orders_log(orders);
    // One initiator (one thread) per session, as guiju's feed and order gateway have.
    FIX::SocketInitiator md_initiator(app, md_store, md, md_log);
    FIX::SocketInitiator orders_initiator(app, orders_store, orders, orders_log);
    orders_initiator.start();
    md_initiator.start();
    int signal = 0;
    sigwait(&stop_signals, &signal);
    md_initiator.stop();
    orders_initiator.stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "baseline client: %s\n", e.what());
    return 1;
  }
  return 0;
}

// ------------------------------------------------------------------------------------------------
// The harness

struct SideResult {
  std::vector<uint64_t> ticks;  // measured samples
  uint64_t missing = 0;         // no D within the timeout
  uint64_t unmatched = 0;       // a D that answered no W in flight (late, or extra)
  uint64_t orders = 0;          // D received, warm-up included
  double seconds = 0;           // measuring time
};

class SideFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Harness {
 public:
  Harness(const Options& options, fs::path root, std::string self)
      : options_(options),
        max_missing_(std::max<uint64_t>(10, options.samples / 100)),
        root_(std::move(root)),
        self_(std::move(self)) {
    dictionary_ = (fs::path(GUIJU_SOURCE_DIR) / "configs" / "fix" / "FIX44.xml").string();
    port_ = free_loopback_port();
    const fs::path venue_cfg = root_ / "venue.cfg";
    write_file(venue_cfg, acceptor_settings(port_, dictionary_));
    settings_ = std::make_unique<FIX::SessionSettings>(venue_cfg.string());
    acceptor_ = std::make_unique<FIX::SocketAcceptor>(venue_, store_, *settings_);
    acceptor_->start();
    venue_.find_sessions();
  }
  ~Harness() {
    try {
      acceptor_->stop();
    } catch (...) {  // NOLINT(bugprone-empty-catch): nothing to do at exit
    }
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // Starts the side's process and waits until both its sessions are up and its market data
  // subscribed, then warms it up (`warmup` answered samples) and stops it (SIGSTOP).
  void start(size_t side) {
    const fs::path dir = root_ / kSideName[side];
    fs::create_directories(dir);
    write_file(dir / "md.cfg", initiator_settings(kMdCompId[side], port_, dir, dictionary_, false));
    write_file(dir / "orders.cfg",
               initiator_settings(kOrdCompId[side], port_, dir, dictionary_, true));
    logs_[side] = dir / "process.log";
    std::vector<std::string> args;
    if (side != kBaseline) {
      write_file(dir / "live.yaml",
                 guiju_config(dir, 2 * samples_sent_at_most() + 1024, side == kGuiju));
      args = {GUIJU_BINARY, "run", "--config", (dir / "live.yaml").string()};
    } else {
      args = {self_, "--baseline-client", dir.string()};
    }
    children_[side].start(args, dir, logs_[side]);

    const auto logon_by = SteadyClock::now() + std::chrono::seconds(options_.logon_timeout_s);
    for (;;) {
      const Venue::Up up = venue_.up(side);
      if (up.market_data && up.orders && up.subscribed) break;
      if (!children_[side].running()) {
        fail(side, "the process exited before its FIX sessions logged on");
      }
      if (g_interrupted.load()) fail(side, "interrupted");
      if (SteadyClock::now() > logon_by) {
        fail(side, std::string("never logged on within ") +
                       std::to_string(options_.logon_timeout_s) + " s: market-data session " +
                       (up.market_data ? "up" : "down") + ", order session " +
                       (up.orders ? "up" : "down") + ", market data " +
                       (up.subscribed ? "subscribed" : "not subscribed"));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }

    // guiju starts trading once its order session is up, and its first updates find a stale
    // book: count answered samples, not sent ones.
    size_t warmed = 0;
    const auto warm_by = SteadyClock::now() + std::chrono::seconds(30) +
                         std::chrono::milliseconds(options_.warmup);  // ~1 ms a sample at worst
    while (warmed < options_.warmup) {
      if (sample(side)) ++warmed;
      if (SteadyClock::now() > warm_by || !children_[side].running()) {
        fail(side, "logged on, but only " + std::to_string(warmed) + " of " +
                       std::to_string(options_.warmup) +
                       " warm-up market-data messages were answered by a NewOrderSingle");
      }
    }
    quiesce_and_pause(side);
  }

  // Resumes the side's process, sends it `warm` samples unmeasured (its threads come back to
  // cold caches), then `n` measured ones, and stops it again.
  void block(size_t side, size_t warm, size_t n, SideResult& out) {
    children_[side].resume();
    for (size_t i = 0; i < warm; ++i) sample(side);
    const auto began = SteadyClock::now();
    for (size_t i = 0; i < n; ++i) {
      if (const std::optional<uint64_t> t = sample(side)) {
        out.ticks.push_back(*t);
      } else if (++out.missing > max_missing_ || !children_[side].running()) {
        fail(side, std::to_string(out.missing) +
                       " market-data messages were not answered by a NewOrderSingle within " +
                       std::to_string(options_.timeout_ms) + " ms");
      }
    }
    out.seconds += std::chrono::duration<double>(SteadyClock::now() - began).count();
    quiesce_and_pause(side);
  }

  // Resumes and ends both processes; counts the D that answered no W in flight.
  void finish(std::array<SideResult, kSides>& out) {
    for (Child& c : children_) c.resume();
    // Answers still on their way are late, not missing: give them a moment before counting.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (size_t side = 0; side < kSides; ++side) {
      out[side].unmatched = venue_.unmatched(side);
      out[side].orders = venue_.orders(side);
      const int status = children_[side].stop(std::chrono::seconds(15));
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "warning: the %s process exited with status %d; its log ends:\n%s\n",
                     kSideName[side], status, tail_of(logs_[side], 2000).c_str());
      }
    }
  }

 private:
  // Gives the side a moment to take the last ExecutionReport in before it is stopped: stopped
  // inside a strategy callback, the stop would count against the callback's time budget.
  void quiesce_and_pause(size_t side) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    children_[side].pause();
  }

  // Every sample number a side's process may see: its warm-up, its blocks' and the measured.
  size_t samples_sent_at_most() const {
    const size_t blocks = (options_.samples + options_.block - 1) / options_.block;
    return options_.warmup + blocks * options_.block_warmup + options_.samples + max_missing_ +
           1024;
  }

  std::optional<uint64_t> sample(size_t side) {
    if (g_interrupted.load()) fail(side, "interrupted");
    const std::optional<uint64_t> t =
        venue_.round_trip(side, next_[side]++, std::chrono::milliseconds(options_.timeout_ms));
    if (options_.gap_us != 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(options_.gap_us));
    }
    return t;
  }

  [[noreturn]] void fail(size_t side, const std::string& why) {
    for (Child& c : children_) c.stop(std::chrono::seconds(10));
    throw SideFailure(std::string(kSideName[side]) + ": " + why + "\n--- " + logs_[side].string() +
                      " (last lines) ---\n" + tail_of(logs_[side], 3000));
  }

  Options options_;
  uint64_t max_missing_ = 0;
  fs::path root_;
  std::string self_;
  std::string dictionary_;
  int port_ = 0;
  Venue venue_;
  FIX::MemoryStoreFactory store_;
  std::unique_ptr<FIX::SessionSettings> settings_;
  std::unique_ptr<FIX::SocketAcceptor> acceptor_;
  // After the acceptor: destroyed (stopped, by pid) before it.
  std::array<Child, kSides> children_;
  std::array<fs::path, kSides> logs_;
  std::array<uint64_t, kSides> next_{};  // the next sample's number, per side
};

// ------------------------------------------------------------------------------------------------
// Figures

struct Figures {
  size_t count = 0;
  double min = 0, p10 = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0, mean = 0;  // us
};

Figures figures_of(std::vector<uint64_t> ticks) {
  Figures f;
  f.count = ticks.size();
  if (ticks.empty()) return f;
  std::sort(ticks.begin(), ticks.end());
  auto at = [&](double q) {
    const auto i = static_cast<size_t>(q * static_cast<double>(ticks.size() - 1));
    return bench::to_ns(ticks[i]) / 1000.0;
  };
  f.min = at(0);
  f.p10 = at(0.10);
  f.p50 = at(0.50);
  f.p90 = at(0.90);
  f.p99 = at(0.99);
  f.p999 = at(0.999);
  f.max = bench::to_ns(ticks.back()) / 1000.0;
  double sum = 0;
  for (const uint64_t t : ticks) sum += bench::to_ns(t);
  f.mean = sum / static_cast<double>(ticks.size()) / 1000.0;
  return f;
}

void write_json(const std::string& path, const Options& o, const std::array<SideResult, kSides>& r,
                const std::array<Figures, kSides>& f, double ratio) {
  std::ofstream out(path);
  out << "{\n  \"benchmark\": \"fix_wire_latency\",\n";
  out << "  \"samples_per_side\": " << o.samples << ",\n  \"warmup\": " << o.warmup
      << ",\n  \"block\": " << o.block << ",\n  \"block_warmup\": " << o.block_warmup
      << ",\n  \"gap_us\": " << o.gap_us << ",\n";
  out << "  \"sides\": {\n";
  for (size_t s = 0; s < kSides; ++s) {
    char line[512];
    std::snprintf(line, sizeof line,
                  "    \"%s\": {\"count\": %zu, \"min_us\": %.2f, \"p10_us\": %.2f, \"p50_us\": "
                  "%.2f, \"p90_us\": %.2f, \"p99_us\": %.2f, \"p999_us\": %.2f, \"max_us\": "
                  "%.2f, \"mean_us\": %.2f, \"missing\": %llu, \"unmatched\": %llu, "
                  "\"per_second\": %.0f}%s\n",
                  kSideName[s], f[s].count, f[s].min, f[s].p10, f[s].p50, f[s].p90, f[s].p99,
                  f[s].p999, f[s].max, f[s].mean, static_cast<unsigned long long>(r[s].missing),
                  static_cast<unsigned long long>(r[s].unmatched),
                  r[s].seconds > 0 ? static_cast<double>(f[s].count) / r[s].seconds : 0.0,
                  s + 1 < kSides ? "," : "");
    out << line;
  }
  out << "  },\n  \"ratio_p50\": " << ratio << ",\n  \"target_ratio_p50\": 1.2\n}\n";
  if (!out) std::fprintf(stderr, "cannot write %s\n", path.c_str());
}

bool parse_options(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto number = [&](auto& value) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      const unsigned long long v = std::strtoull(argv[++i], &end, 10);
      if (end == nullptr || *end != '\0') return false;
      value = static_cast<std::remove_reference_t<decltype(value)>>(v);
      return true;
    };
    bool ok = true;
    if (a == "--samples") {
      ok = number(o.samples);
    } else if (a == "--warmup") {
      ok = number(o.warmup);
    } else if (a == "--block") {
      ok = number(o.block) && o.block > 0;
    } else if (a == "--block-warmup") {
      ok = number(o.block_warmup);
    } else if (a == "--gap-us") {
      ok = number(o.gap_us);
    } else if (a == "--timeout-ms") {
      ok = number(o.timeout_ms) && o.timeout_ms > 0;
    } else if (a == "--json" && i + 1 < argc) {
      o.json = argv[++i];
    } else if (a == "--keep-temp") {
      o.keep_temp = true;
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr,
                   "usage: %s [--samples N] [--warmup N] [--block N] [--block-warmup N] "
                   "[--gap-us N] [--timeout-ms N] [--json FILE] [--keep-temp]\n",
                   argv[0]);
      return false;
    }
  }
  return true;
}

int run_bench(const Options& o, const std::string& self) {
  bench::tsc_per_ns();  // calibrated before anything is timed
  bench::BenchTempDir temp("guiju-wirebench", o.keep_temp);
  std::array<SideResult, kSides> results;
  std::printf(
      "FIX wire to wire on loopback: W sent by the venue -> the D it triggers back at the "
      "venue\n%zu samples per side in blocks of %zu (+%zu unmeasured), sides alternating; "
      "%zu warm-up; one in flight\n",
      o.samples, o.block, o.block_warmup, o.warmup);
  std::fflush(stdout);
  const auto began = SteadyClock::now();
  try {
    Harness harness(o, temp.path(), self);
    harness.start(kBaseline);
    harness.start(kGuiju);
    harness.start(kGuijuOwnThread);
    size_t done = 0;
    for (size_t b = 0; done < o.samples; ++b) {
      const size_t n = std::min(o.block, o.samples - done);
      // Which side goes first rotates, so no side always follows the same one.
      for (size_t k = 0; k < kSides; ++k) {
        const size_t side = (b + k) % kSides;
        harness.block(side, o.block_warmup, n, results[side]);
      }
      done += n;
    }
    harness.finish(results);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "FAILED: %s\n", e.what());
    return 1;
  }
  std::printf("done in %.1f s\n",
              std::chrono::duration<double>(SteadyClock::now() - began).count());

  std::array<Figures, kSides> f;
  for (size_t s = 0; s < kSides; ++s) f[s] = figures_of(results[s].ticks);
  const double ratio = f[kBaseline].p50 > 0 ? f[kGuiju].p50 / f[kBaseline].p50 : -1;
  std::printf("\n%-9s %8s %8s %8s %8s %8s %8s %9s %9s %8s %9s %7s\n", "side", "count", "min us",
              "p10 us", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "missing", "unmatched",
              "per s");
  for (const size_t s : {kBaseline, kGuiju, kGuijuOwnThread}) {
    std::printf(
        "%-9s %8zu %8.1f %8.1f %8.1f %8.1f %8.1f %9.1f %9.1f %8llu %9llu %7.0f\n", kSideName[s],
        f[s].count, f[s].min, f[s].p10, f[s].p50, f[s].p90, f[s].p99, f[s].p999, f[s].max,
        static_cast<unsigned long long>(results[s].missing),
        static_cast<unsigned long long>(results[s].unmatched),
        results[s].seconds > 0 ? static_cast<double>(f[s].count) / results[s].seconds : 0.0);
  }
  std::printf("\nratio guiju / baseline: p50 %.2fx, p99 %.2fx, p99.9 %.2fx\n", ratio,
              f[kGuiju].p99 / f[kBaseline].p99, f[kGuiju].p999 / f[kBaseline].p999);
  std::printf("ratio guiju-own / baseline: p50 %.2fx, p99 %.2fx, p99.9 %.2fx\n",
              f[kGuijuOwnThread].p50 / f[kBaseline].p50, f[kGuijuOwnThread].p99 / f[kBaseline].p99,
              f[kGuijuOwnThread].p999 / f[kBaseline].p999);
  std::printf("\nTargets (issue 7):\n");
  bench::print_target("wire to wire p50, guiju / bare QuickFIX baseline", ratio, 1.2, false, "x");
  if (!o.json.empty()) write_json(o.json, o, results, f, ratio);
  return 0;
}

}  // namespace
}  // namespace guiju

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--baseline-client") {
    return guiju::run_baseline_client(argv[2]);
  }
  guiju::Options options;
  if (!guiju::parse_options(argc, argv, options)) return 2;
  struct sigaction sa {};
  sa.sa_handler = guiju::on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a side's process gone while the venue writes to it
  // This program again, as the baseline client: by its path, not through a shell.
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  return guiju::run_bench(options, self);
}

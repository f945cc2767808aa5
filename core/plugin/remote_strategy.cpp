#include "core/plugin/remote_strategy.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>  // environ

#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include "core/config/config_error.hpp"
#include "core/plugin/plugin_strategy.hpp"
#include "core/plugin/remote_wire.hpp"
#include "core/strategy/strategy_context.hpp"

namespace guiju {

namespace {

using remote::Call;
using remote::Callback;
using remote::Kind;
using remote::Reader;
using remote::Writer;
using std::chrono::milliseconds;

std::string fresh_ipc_path() {
  static std::atomic<int> counter{0};
  return (std::filesystem::temp_directory_path() / ("guiju-strategy-" + std::to_string(::getpid()) +
                                                    "-" + std::to_string(counter++) + ".ipc"))
      .string();
}

pid_t spawn_host(const std::string& executable, const std::string& endpoint) {
  std::vector<std::string> args = {executable, "strategy-host", "--connect", endpoint};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, executable.c_str(), nullptr, nullptr, argv.data(), environ);
  if (rc != 0) {
    std::string why = "cannot start the strategy host " + executable + ": ";
    why += std::strerror(rc);  // NOLINT(concurrency-mt-unsafe): loading is single-threaded
    throw PluginError(why);
  }
  return pid;
}

}  // namespace

RemoteStrategy::RemoteStrategy(const PluginFile& plugin, const StrategyParameters& parameters,
                               const InstrumentRegistry& instruments,
                               const RemoteHostOptions& options)
    : reply_timeout_(options.reply_timeout) {
  const std::string who = "strategy '" + parameters.strategy() + "' (out of process)";
  std::string endpoint = options.endpoint;
  if (endpoint.empty()) {
    ipc_path_ = fresh_ipc_path();
    endpoint = "ipc://" + ipc_path_;
  }
  try {
    channel_ = std::make_unique<remote::Channel>(endpoint, remote::Channel::Role::kBind);
  } catch (const std::runtime_error& e) {
    throw PluginError(who + ": " + e.what());
  }
  pid_ = spawn_host(options.executable, channel_->endpoint());

  Writer hello;
  remote::write_hello(hello, plugin, parameters, instruments);
  if (!channel_->send(Kind::kHello, 0, hello.bytes(), options.start_timeout)) {
    stop_host();
    throw PluginError(who + ": the strategy host did not take its start message");
  }
  const auto started = std::chrono::steady_clock::now();
  for (;;) {
    const auto reply = channel_->receive(milliseconds(20));
    if (reply) {
      Reader r = reply->reader();
      if (reply->header.kind == Kind::kReady) {
        info_.type = r.get_string();
        info_.version = r.get_string();
        info_.abi_major = r.get<uint16_t>();
        info_.abi_minor = r.get<uint16_t>();
        implemented_ = r.get<remote::CallbackMask>();
        return;
      }
      if (reply->header.kind == Kind::kRefused) {
        const remote::Refusal refusal = remote::read_refusal(r);
        stop_host();
        if (refusal.config_error) {
          throw ConfigError(refusal.file, refusal.line, refusal.column, refusal.key,
                            refusal.message);
        }
        throw PluginError(refusal.message);
      }
      continue;  // nothing else is expected before Ready
    }
    std::string how;
    if (host_exited(how)) {
      stop_host();
      throw PluginError(who + ": the strategy host ended (" +
                        how.append(") before the strategy started"));
    }
    if (std::chrono::steady_clock::now() - started > options.start_timeout) {
      stop_host();
      throw PluginError(who + ": the strategy host did not start within " +
                        std::to_string(options.start_timeout.count()) + " ms");
    }
  }
}

RemoteStrategy::~RemoteStrategy() {
  if (!dead_ && channel_) {
    channel_->send(Kind::kShutdown, 0, {}, milliseconds(100));
  }
  stop_host();
}

bool RemoteStrategy::host_exited(std::string& how) {
  if (pid_ <= 0) {
    how = "is not running";
    return true;
  }
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r != pid_) return false;
  pid_ = -1;
  // Short: it becomes the quarantine reason in the journal.
  if (WIFSIGNALED(status)) {
    const char* name = ::sigabbrev_np(WTERMSIG(status));
    how = std::string("killed by SIG") + (name ? name : std::to_string(WTERMSIG(status)).c_str());
  } else {
    how = "exited with status " + std::to_string(WEXITSTATUS(status));
  }
  return true;
}

void RemoteStrategy::stop_host() {
  if (pid_ > 0) {
    // A moment to leave on its own after Shutdown, then it is ended: only our own child.
    for (int i = 0; i < 50; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }
  channel_.reset();
  if (!ipc_path_.empty()) {
    std::error_code ec;
    std::filesystem::remove(ipc_path_, ec);
  }
}

std::string RemoteStrategy::host_gone(milliseconds waited) {
  std::string how;
  if (host_exited(how)) return "strategy host " + how;
  return "strategy host silent for " + std::to_string(waited.count()) + " ms";
}

void RemoteStrategy::callback(StrategyContext& ctx, Callback op, const Writer& payload) {
  if (dead_) throw StrategyFailure("the strategy host is gone");
  if ((implemented_ & remote::bit(op)) == 0) return;  // the plugin has no such callback
  auto fail = [&](const std::string& why) {
    dead_ = true;
    stop_host();
    throw StrategyFailure(why);
  };
  if (!channel_->send(Kind::kCallback, static_cast<uint8_t>(op), payload.bytes(), reply_timeout_)) {
    fail(host_gone(reply_timeout_));
  }
  // Waits in short slices so that a host that died is noticed at once, not at the timeout.
  auto last_heard = std::chrono::steady_clock::now();
  for (;;) {
    const auto m = channel_->receive(milliseconds(5));
    if (!m) {
      std::string how;
      if (host_exited(how)) fail("strategy host " + how);
      const auto waited =
          std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - last_heard);
      if (waited > reply_timeout_) fail(host_gone(waited));
      continue;
    }
    last_heard = std::chrono::steady_clock::now();
    if (m->header.kind == Kind::kCall) {
      serve(ctx, *m);
      continue;
    }
    if (m->header.kind == Kind::kDone) {
      Reader r = m->reader();
      const auto rc = r.get<int32_t>();
      const std::string why = r.get_string();
      if (rc != 0) throw StrategyFailure(why);
      return;
    }
    fail("strategy host protocol: unexpected message kind " +
         std::to_string(static_cast<int>(m->header.kind)) + " during a callback");
  }
}

void RemoteStrategy::serve(StrategyContext& ctx, const remote::Message& call) {
  Reader r = call.reader();
  Writer& out = scratch_;
  out.clear();
  switch (static_cast<Call>(call.header.op)) {
    case Call::kSubmit:
      remote::write_result(out, ctx.submit(r.get<OrderRequest>()));
      break;
    case Call::kCancel:
      remote::write_result(out, ctx.cancel(r.get<OrderId>()));
      break;
    case Call::kReplace: {
      const auto id = r.get<OrderId>();
      const auto price = r.get<Price>();
      remote::write_result(out, ctx.replace(id, price, r.get<Quantity>()));
      break;
    }
    case Call::kSetTimer: {
      const auto delay = r.get<Duration>();
      out.put(ctx.set_timer(delay, r.get<Duration>()));
      break;
    }
    case Call::kCancelTimer:
      out.put(static_cast<uint8_t>(ctx.cancel_timer(r.get<TimerId>()) ? 1 : 0));
      break;
    case Call::kNow:
      out.put(ctx.now());
      break;
    case Call::kBook: {
      const auto id = r.get<InstrumentId>();
      const bool known = ctx.has_instrument(id);
      out.put(static_cast<uint8_t>(known ? 1 : 0));
      if (known) remote::write_book(out, id, ctx.book(id));
      break;
    }
    case Call::kOrder: {
      const Order* o = ctx.order(r.get<OrderId>());
      out.put(static_cast<uint8_t>(o ? 1 : 0));
      if (o) out.put(*o);
      break;
    }
    case Call::kPosition: {
      const Position* p = ctx.position(r.get<InstrumentId>());
      out.put(static_cast<uint8_t>(p ? 1 : 0));
      if (p) out.put(*p);
      break;
    }
    case Call::kOpenOrders: {
      std::vector<Order> open;
      ctx.for_each_open_order([&](const Order& o) { open.push_back(o); });
      out.put(static_cast<uint32_t>(open.size()));
      for (const Order& o : open) out.put(o);
      break;
    }
    case Call::kLog: {
      const auto level = r.get<uint8_t>();
      ctx.log(static_cast<LogLevel>(level > 3 ? 3 : level), r.get_string());
      break;
    }
    case Call::kRequestSignal:
      out.put(ctx.request_signal(r.get<SignalRequest>()));
      break;
    default:
      throw StrategyFailure("strategy host protocol: unknown host call " +
                            std::to_string(static_cast<int>(call.header.op)));
  }
  if (!channel_->send(Kind::kResult, call.header.op, out.bytes(), reply_timeout_)) {
    dead_ = true;
    throw StrategyFailure(host_gone(reply_timeout_));
  }
}

void RemoteStrategy::on_start(StrategyContext& ctx) {
  Writer w;
  w.put(ctx.id()).put(ctx.account());
  const auto subscribed = ctx.subscriptions();
  w.put(static_cast<uint32_t>(subscribed.size()));
  for (InstrumentId i : subscribed) w.put(i);
  callback(ctx, Callback::kStart, w);
}
void RemoteStrategy::on_stop(StrategyContext& ctx) {
  callback(ctx, Callback::kStop, Writer());
}
void RemoteStrategy::on_quote(StrategyContext& ctx, const Quote& quote) {
  Writer w;
  w.put(quote);
  callback(ctx, Callback::kQuote, w);
}
void RemoteStrategy::on_book(StrategyContext& ctx, const BookUpdate& book) {
  Writer w;
  w.put(book);
  callback(ctx, Callback::kBook, w);
}
void RemoteStrategy::on_trade(StrategyContext& ctx, const Trade& trade) {
  Writer w;
  w.put(trade);
  callback(ctx, Callback::kTrade, w);
}
void RemoteStrategy::on_order_update(StrategyContext& ctx, const Order& order) {
  Writer w;
  w.put(order);
  callback(ctx, Callback::kOrderUpdate, w);
}
void RemoteStrategy::on_fill(StrategyContext& ctx, const Order& order, const Fill& fill) {
  Writer w;
  w.put(order).put(fill);
  callback(ctx, Callback::kFill, w);
}
void RemoteStrategy::on_timer(StrategyContext& ctx, TimerId timer, Timestamp scheduled) {
  Writer w;
  w.put(timer).put(scheduled);
  callback(ctx, Callback::kTimer, w);
}
void RemoteStrategy::on_signal(StrategyContext& ctx, const SignalReply& reply) {
  Writer w;
  w.put(reply);
  callback(ctx, Callback::kSignal, w);
}
void RemoteStrategy::on_signal_timeout(StrategyContext& ctx, uint64_t request_id) {
  Writer w;
  w.put(request_id);
  callback(ctx, Callback::kSignalTimeout, w);
}

}  // namespace guiju

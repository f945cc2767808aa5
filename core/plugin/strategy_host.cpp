#include "core/plugin/strategy_host.hpp"

#include <unistd.h>

#include <iostream>
#include <set>
#include <vector>

#include "core/config/config_error.hpp"
#include "core/plugin/plugin_strategy.hpp"
#include "core/plugin/remote_channel.hpp"
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

// The engine went away: nothing is left to serve.
class EngineGone : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Waits for the next message, giving up when the parent (the engine) has exited.
remote::Message next_message(remote::Channel& channel, pid_t parent) {
  for (;;) {
    if (auto m = channel.receive(milliseconds(200))) return std::move(*m);
    if (::getppid() != parent) throw EngineGone("the engine exited");
  }
}

// StrategyContext over the connection: every call is a round trip to the engine thread, which is
// waiting for this callback to finish and serves it at once.
class RemoteContext final : public StrategyContext {
 public:
  RemoteContext(remote::Channel& channel, pid_t parent, const InstrumentRegistry& instruments)
      : channel_(channel), parent_(parent), instruments_(instruments) {}

  void bind(StrategyId id, AccountId account, std::vector<InstrumentId> subscriptions) {
    id_ = id;
    account_ = account;
    subscriptions_ = std::move(subscriptions);
  }

  SubmitResult submit(const OrderRequest& request) override {
    Writer w;
    w.put(request);
    Reader r = call(Call::kSubmit, w);
    return remote::read_result(r, texts_);
  }
  SubmitResult cancel(OrderId order) override {
    Writer w;
    w.put(order);
    Reader r = call(Call::kCancel, w);
    return remote::read_result(r, texts_);
  }
  SubmitResult replace(OrderId order, Price price, Quantity quantity) override {
    Writer w;
    w.put(order).put(price).put(quantity);
    Reader r = call(Call::kReplace, w);
    return remote::read_result(r, texts_);
  }
  TimerId set_timer(Duration delay, Duration period) override {
    Writer w;
    w.put(delay).put(period);
    return call(Call::kSetTimer, w).get<TimerId>();
  }
  bool cancel_timer(TimerId timer) override {
    Writer w;
    w.put(timer);
    return call(Call::kCancelTimer, w).get<uint8_t>() != 0;
  }
  Timestamp now() const override { return call(Call::kNow, Writer()).get<Timestamp>(); }
  StrategyId id() const override { return id_; }
  AccountId account() const override { return account_; }
  bool has_instrument(InstrumentId id) const override { return instruments_.contains(id); }
  const Instrument& instrument(InstrumentId id) const override { return instruments_.get(id); }
  std::span<const InstrumentId> subscriptions() const override { return subscriptions_; }
  std::optional<InstrumentId> find_instrument(std::string_view symbol) const override {
    return instruments_.id_of(symbol);
  }
  const Book& book(InstrumentId id) const override {
    Writer w;
    w.put(id);
    Reader r = call(Call::kBook, w);
    book_ = r.get<uint8_t>() != 0 ? remote::read_book(r) : Book{};
    return book_;
  }
  const Order* order(OrderId id) const override {
    Writer w;
    w.put(id);
    Reader r = call(Call::kOrder, w);
    if (r.get<uint8_t>() == 0) return nullptr;
    order_ = r.get<Order>();
    return &order_;
  }
  const Position* position(InstrumentId id) const override {
    Writer w;
    w.put(id);
    Reader r = call(Call::kPosition, w);
    if (r.get<uint8_t>() == 0) return nullptr;
    position_ = r.get<Position>();
    return &position_;
  }
  void log(LogLevel level, std::string_view message) override {
    Writer w;
    w.put(static_cast<uint8_t>(level)).put_string(message);
    call(Call::kLog, w);
  }
  uint64_t request_signal(const SignalRequest& request) override {
    Writer w;
    w.put(request);
    return call(Call::kRequestSignal, w).get<uint64_t>();
  }

 protected:
  // The engine sends this strategy's open orders; for_each_open_order walks them.
  size_t open_order_count_all() const override {
    Reader r = call(Call::kOpenOrders, Writer());
    const auto n = r.get<uint32_t>();
    open_.clear();
    for (uint32_t i = 0; i < n; ++i) open_.push_back(r.get<Order>());
    return open_.size();
  }
  const Order* open_order_at(size_t i) const override {
    return i < open_.size() ? &open_[i] : nullptr;
  }

 private:
  Reader call(Call op, const Writer& w) const {
    if (!channel_.send(Kind::kCall, static_cast<uint8_t>(op), w.bytes(), milliseconds(5000))) {
      throw EngineGone("the engine does not take host calls");
    }
    last_ = next_message(channel_, parent_);
    if (last_.header.kind != Kind::kResult || last_.header.op != static_cast<uint8_t>(op)) {
      throw std::runtime_error("strategy host protocol: expected the result of a host call");
    }
    return last_.reader();
  }

  remote::Channel& channel_;
  pid_t parent_;
  const InstrumentRegistry& instruments_;
  StrategyId id_ = kNoStrategy;
  AccountId account_ = 0;
  std::vector<InstrumentId> subscriptions_;
  std::set<std::string> texts_;
  mutable remote::Message last_;
  mutable Book book_;
  mutable Order order_;
  mutable Position position_;
  mutable std::vector<Order> open_;
};

// One callback from the engine, run on the plugin.
void dispatch(PluginStrategy& strategy, RemoteContext& ctx, const remote::Message& m) {
  Reader r = m.reader();
  switch (static_cast<Callback>(m.header.op)) {
    case Callback::kStart: {
      const auto id = r.get<StrategyId>();
      const auto account = r.get<AccountId>();
      std::vector<InstrumentId> subscriptions(r.get<uint32_t>());
      for (InstrumentId& i : subscriptions) i = r.get<InstrumentId>();
      ctx.bind(id, account, std::move(subscriptions));
      strategy.on_start(ctx);
      break;
    }
    case Callback::kStop:
      strategy.on_stop(ctx);
      break;
    case Callback::kQuote:
      strategy.on_quote(ctx, r.get<Quote>());
      break;
    case Callback::kBook:
      strategy.on_book(ctx, r.get<BookUpdate>());
      break;
    case Callback::kTrade:
      strategy.on_trade(ctx, r.get<Trade>());
      break;
    case Callback::kOrderUpdate:
      strategy.on_order_update(ctx, r.get<Order>());
      break;
    case Callback::kFill: {
      const auto order = r.get<Order>();
      strategy.on_fill(ctx, order, r.get<Fill>());
      break;
    }
    case Callback::kTimer: {
      const auto timer = r.get<TimerId>();
      strategy.on_timer(ctx, timer, r.get<Timestamp>());
      break;
    }
    case Callback::kSignal:
      strategy.on_signal(ctx, r.get<SignalReply>());
      break;
    case Callback::kSignalTimeout:
      strategy.on_signal_timeout(ctx, r.get<uint64_t>());
      break;
    default:
      throw std::runtime_error("strategy host protocol: unknown callback " +
                               std::to_string(static_cast<int>(m.header.op)));
  }
}

void refuse(remote::Channel& channel, const remote::Refusal& refusal) {
  Writer w;
  remote::write_refusal(w, refusal);
  channel.send(Kind::kRefused, 0, w.bytes());
}

}  // namespace

int run_strategy_host(const std::string& endpoint) {
  const pid_t parent = ::getppid();
  try {
    remote::Channel channel(endpoint, remote::Channel::Role::kConnect);
    const remote::Message hello_message = next_message(channel, parent);
    if (hello_message.header.kind != Kind::kHello) {
      std::cerr << "guiju strategy-host: expected the engine's start message\n";
      return 1;
    }
    Reader hello_reader = hello_message.reader();
    remote::Hello hello = remote::read_hello(hello_reader);
    InstrumentRegistry instruments;
    for (Instrument& i : hello.instruments) instruments.add(std::move(i));

    // Loaded as the engine would load it, and only the very file the engine checked.
    std::unique_ptr<PluginStrategy> strategy;
    try {
      PluginLoadOptions options;
      options.directories = {hello.plugin.path.parent_path()};
      options.sha256 = hello.plugin.sha256;
      strategy = std::make_unique<PluginStrategy>(
          PluginLibrary::open(hello.plugin.path.filename().string(), options), hello.parameters);
    } catch (const ConfigError& e) {
      refuse(channel, {true, e.file(), e.line(), e.column(), e.key(), e.message()});
      return 0;
    } catch (const std::exception& e) {
      refuse(channel, {false, {}, 0, 0, {}, e.what()});
      return 0;
    }
    const guiju_plugin& plugin = strategy->library().plugin();
    Writer ready;
    ready.put_string(plugin.type).put_string(plugin.version ? plugin.version : "");
    ready.put(plugin.abi_major).put(plugin.abi_minor);
    ready.put(remote::implemented_callbacks(strategy->callbacks()));
    channel.send(Kind::kReady, 0, ready.bytes());

    RemoteContext ctx(channel, parent, instruments);
    for (;;) {
      const remote::Message m = next_message(channel, parent);
      if (m.header.kind == Kind::kShutdown) return 0;
      if (m.header.kind != Kind::kCallback) {
        std::cerr << "guiju strategy-host: unexpected message kind "
                  << static_cast<int>(m.header.kind) << "\n";
        return 1;
      }
      Writer done;
      try {
        dispatch(*strategy, ctx, m);
        done.put(int32_t{0}).put_string("");
      } catch (const EngineGone&) {
        throw;
      } catch (const std::exception& e) {
        done.put(int32_t{1}).put_string(e.what());
      }
      channel.send(Kind::kDone, m.header.op, done.bytes());
    }
  } catch (const EngineGone& e) {
    std::cerr << "guiju strategy-host: " << e.what() << "; exiting\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "guiju strategy-host: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace guiju

// The control server on real sockets over loopback TCP: CURVE handshakes checked by its ZAP
// handler against the allow-list, roles enforced per command, unknown keys refused and reported,
// malformed requests answered, the allow-list reloaded while running.

#include <gtest/gtest.h>

#include <zmq.hpp>
#include <zmq_addon.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/control/control_server.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::control {
namespace {

using guiju::test::TempDir;
using namespace std::chrono_literals;

struct Reply {
  std::string status;
  std::string text;
};

// A client as `guiju ctl` is one: a DEALER with the operator's CURVE key pair.
class Client {
 public:
  Client(const std::string& endpoint, const CurveKeyPair& server, const CurveKeyPair& mine)
      : socket_(context_, zmq::socket_type::dealer) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::curve_serverkey, server.public_key);
    socket_.set(zmq::sockopt::curve_publickey, mine.public_key);
    socket_.set(zmq::sockopt::curve_secretkey, mine.secret_key);
    socket_.connect(endpoint);
  }
  // nullopt when no answer comes within the timeout.
  std::optional<Reply> send(const std::vector<std::string>& frames,
                            std::chrono::milliseconds timeout = 3000ms) {
    std::vector<zmq::const_buffer> out = {zmq::const_buffer()};
    for (const std::string& f : frames) out.push_back(zmq::buffer(f));
    zmq::send_multipart(socket_, out);
    zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, timeout) == 0) return std::nullopt;
    std::vector<zmq::message_t> in;
    (void)zmq::recv_multipart(socket_, std::back_inserter(in));
    if (in.size() != 3) return Reply{"malformed", ""};
    return Reply{in[1].to_string(), in[2].to_string()};
  }
  std::optional<Reply> command(const std::vector<std::string>& words) {
    std::vector<std::string> frames = {std::string(kProtocolTag), "test"};
    frames.insert(frames.end(), words.begin(), words.end());
    return send(frames);
  }

 private:
  zmq::context_t context_{1};
  zmq::socket_t socket_;
};

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_allow_list(true);
    ControlServerOptions options;
    options.listen = endpoint_;
    options.server_key = server_key_;
    options.operators = operators_;
    ControlHandlers handlers;
    handlers.command = [this](const OperatorKey& op, const ControlRequest& r) {
      const std::lock_guard<std::mutex> lock(mutex_);
      ran_.push_back(op.name + ": " + r.text() + " (" + r.reason + ")");
      return ControlReply::ok("done " + r.text());
    };
    handlers.denied = [this](const OperatorKey& op, const ControlRequest& r, const std::string&) {
      const std::lock_guard<std::mutex> lock(mutex_);
      denied_.push_back(op.name + ": " + r.text());
    };
    handlers.refused = [this](const std::string& address, const std::string& key) {
      const std::lock_guard<std::mutex> lock(mutex_);
      refused_.push_back(address + " " + key);
    };
    server_ = std::make_unique<ControlServer>(options, handlers);
  }
  void write_allow_list(bool with_alice) {
    std::string text = "# test operators\nbob read-only " + bob_.public_key + "\n";
    if (with_alice) text += "alice operator " + alice_.public_key + "\n";
    dir_.file("operators", text);
  }
  std::vector<std::string> taken(std::vector<std::string>& v) {
    const std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(v, {});
  }

  TempDir dir_;
  const std::string operators_ = (dir_.path() / "operators").string();
  const std::string endpoint_ = "tcp://127.0.0.1:" + std::to_string(test::free_loopback_port());
  const CurveKeyPair server_key_ = generate_key_pair("engine");
  const CurveKeyPair alice_ = generate_key_pair("alice");
  const CurveKeyPair bob_ = generate_key_pair("bob");
  std::mutex mutex_;
  std::vector<std::string> ran_;
  std::vector<std::string> denied_;
  std::vector<std::string> refused_;
  std::unique_ptr<ControlServer> server_;
};

TEST_F(ControlServerTest, AnOperatorOnTheListRunsCommandsUnderItsName) {
  Client alice(endpoint_, server_key_, alice_);
  const auto r = alice.command({"kill", "account", "acct1"});
  ASSERT_TRUE(r.has_value()) << "no answer";
  EXPECT_EQ(r->status, "ok");
  EXPECT_EQ(r->text, "done kill account acct1");
  EXPECT_EQ(taken(ran_), std::vector<std::string>{"alice: kill account acct1 (test)"});
}

TEST_F(ControlServerTest, AReadOnlyKeyMayLookButNotKillOrChangeLimits) {
  Client bob(endpoint_, server_key_, bob_);
  const auto status = bob.command({"status"});
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->status, "ok");
  for (const std::vector<std::string>& words :
       {std::vector<std::string>{"kill"},
        {"reset", "global"},
        {"flatten"},
        {"risk", "set", "account", "a", "max_open_orders", "1"},
        {"risk", "reload"},
        {"strategies", "unload", "x"}}) {
    const auto r = bob.command(words);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, "denied") << words[0];
    EXPECT_NE(r->text.find("read-only key and may not run"), std::string::npos) << r->text;
  }
  EXPECT_EQ(taken(ran_), std::vector<std::string>{"bob: status (test)"});
  EXPECT_EQ(taken(denied_).size(), 6u);
}

TEST_F(ControlServerTest, AnUnknownKeyIsRefusedAtTheHandshakeAndReported) {
  const CurveKeyPair mallory = generate_key_pair("mallory");
  Client client(endpoint_, server_key_, mallory);
  EXPECT_FALSE(client.command({"status"}).has_value());
  EXPECT_TRUE(taken(ran_).empty());
  const std::vector<std::string> refused = taken(refused_);
  ASSERT_FALSE(refused.empty());
  EXPECT_NE(refused[0].find("127.0.0.1"), std::string::npos);
  EXPECT_NE(refused[0].find(mallory.public_key), std::string::npos);
}

TEST_F(ControlServerTest, AClientWithoutTheServersKeyGetsNothing) {
  Client client(endpoint_, generate_key_pair("impostor"), alice_);
  EXPECT_FALSE(client.command({"status"}).has_value());
  EXPECT_TRUE(taken(ran_).empty());
}

TEST_F(ControlServerTest, MalformedAndUnknownRequestsAreAnsweredWithAnError) {
  Client alice(endpoint_, server_key_, alice_);
  const auto wrong_tag = alice.send({"guiju-ctl/0", "test", "status"});
  ASSERT_TRUE(wrong_tag.has_value());
  EXPECT_EQ(wrong_tag->status, "error");
  EXPECT_NE(wrong_tag->text.find("malformed request"), std::string::npos);
  const auto too_short = alice.send({std::string(kProtocolTag)});
  ASSERT_TRUE(too_short.has_value());
  EXPECT_EQ(too_short->status, "error");
  const auto unknown = alice.command({"shutdown", "now"});
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->status, "error");
  EXPECT_NE(unknown->text.find("unknown command 'shutdown now'"), std::string::npos);
  const auto empty = alice.command({});
  ASSERT_TRUE(empty.has_value());
  EXPECT_NE(empty->text.find("no command given"), std::string::npos);
  // And the server still serves.
  EXPECT_EQ(alice.command({"status"})->status, "ok");
  EXPECT_EQ(taken(ran_).size(), 1u);
}

TEST_F(ControlServerTest, AReloadedAllowListTakesAKeyAwayAndABrokenOneChangesNothing) {
  Client alice(endpoint_, server_key_, alice_);
  ASSERT_EQ(alice.command({"status"})->status, "ok");

  dir_.file("operators", "alice superuser " + alice_.public_key + "\n");  // broken
  server_->request_allow_list_reload();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(alice.command({"status"})->status, "ok");  // the old list is still in force

  write_allow_list(false);
  server_->request_allow_list_reload();
  std::this_thread::sleep_for(300ms);
  // Her open connection was admitted before; her commands are not any more.
  const auto after = alice.command({"status"});
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, "denied");
  EXPECT_NE(after->text.find("no longer on the allow-list"), std::string::npos);
  // A new connection with her key is refused at the handshake.
  Client again(endpoint_, server_key_, alice_);
  EXPECT_FALSE(again.command({"status"}).has_value());
}

TEST_F(ControlServerTest, AnAddressInUseIsRefusedNamingTheKeyAndTheAddress) {
  ControlServerOptions options;
  options.listen = server_->endpoint();
  options.server_key = server_key_;
  options.operators = operators_;
  try {
    ControlServer second(options, {});
    FAIL() << "a second server bound " << options.listen;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("control.listen: cannot listen on " + options.listen),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace guiju::control

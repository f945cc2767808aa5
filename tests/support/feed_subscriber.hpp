#pragma once
// A subscriber to the drop-copy feed (core/dropcopy/), as a risk officer's tool would be: a
// ZeroMQ SUB socket on everything, each message [topic, one line of JSON].

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace guiju::test {

struct FeedMessage {
  std::string topic;
  nlohmann::json body;
};

class FeedSubscriber {
 public:
  // Connects (ZeroMQ keeps retrying, every 10 ms here, until someone binds the endpoint).
  explicit FeedSubscriber(const std::string& endpoint, int receive_hwm = 1000) {
    socket_.set(zmq::sockopt::rcvhwm, receive_hwm);
    socket_.set(zmq::sockopt::reconnect_ivl, 10);
    socket_.set(zmq::sockopt::subscribe, "");
    socket_.connect(endpoint);
  }

  std::optional<FeedMessage> receive(std::chrono::milliseconds timeout) {
    zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, timeout) <= 0) return std::nullopt;
    zmq::message_t topic;
    zmq::message_t body;
    EXPECT_TRUE(socket_.recv(topic));
    EXPECT_TRUE(topic.more()) << "a message is [topic, body]";
    EXPECT_TRUE(socket_.recv(body));
    EXPECT_FALSE(body.more()) << "a message is [topic, body]";
    return FeedMessage{topic.to_string(), nlohmann::json::parse(body.to_string())};
  }

  // A heartbeat arriving proves the subscription has reached the publisher: what is published
  // from then on is delivered (heartbeats come about once a second).
  bool wait_until_connected(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (const auto m = receive(std::chrono::milliseconds(100)); m && m->topic == "heartbeat") {
        return true;
      }
    }
    return false;
  }

  // Everything but heartbeats, until `count` messages arrived or nothing came for `quiet`.
  std::vector<FeedMessage> drain(size_t count, std::chrono::milliseconds quiet) {
    std::vector<FeedMessage> out;
    while (out.size() < count) {
      const auto m = receive(quiet);
      if (!m) break;
      if (m->topic != "heartbeat") out.push_back(*m);
    }
    return out;
  }

 private:
  zmq::context_t context_{1};
  zmq::socket_t socket_{context_, zmq::socket_type::sub};
};

}  // namespace guiju::test

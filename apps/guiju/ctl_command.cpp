#include "apps/guiju/ctl_command.hpp"

#include <zmq.hpp>
#include <zmq_addon.hpp>

#include <array>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>

#include <unistd.h>

#include "core/config/config_error.hpp"
#include "core/config/config_loader.hpp"
#include "core/control/control_protocol.hpp"
#include "core/control/curve_key.hpp"

namespace guiju {

namespace {

using control::CurveKeyPair;

int keygen(const CtlArguments& args) {
  if (args.words.size() != 2) {
    std::cerr << "guiju ctl: usage: guiju ctl keygen NAME [--dir DIR]\n";
    return 2;
  }
  const std::string& name = args.words[1];
  const CurveKeyPair pair = control::generate_key_pair(name);
  const std::filesystem::path secret = control::write_key_files(pair, args.directory);
  std::cout << "wrote " << secret.string() << " (secret, keep it private) and "
            << (std::filesystem::path(args.directory) / (name + ".pub")).string() << "\n"
            << "allow-list line:  " << name << "  read-only  " << pair.public_key << "\n";
  return 0;
}

// The engine's public key: the file named, or the .pub beside a .key the operator cannot read.
CurveKeyPair server_public_key(const std::string& path) {
  std::filesystem::path p(path);
  if (p.extension() == ".key" && access(p.c_str(), R_OK) != 0) p.replace_extension(".pub");
  return control::read_key_file(p);
}

struct Target {
  std::string endpoint;
  std::string server_key_file;
};

std::optional<Target> target(const CtlArguments& args) {
  Target t{args.connect, args.server_key};
  if (!args.config.empty()) {
    const EngineConfig config = load_engine_config(args.config);
    if (!config.control.enabled) {
      std::cerr << "guiju ctl: " << args.config << " has no control section\n";
      return std::nullopt;
    }
    if (t.endpoint.empty()) t.endpoint = config.control.listen;
    if (t.server_key_file.empty()) t.server_key_file = config.control.server_key;
  }
  if (t.endpoint.empty() || t.server_key_file.empty()) {
    std::cerr << "guiju ctl: give --config FILE, or --connect ENDPOINT and --server-key FILE\n";
    return std::nullopt;
  }
  return t;
}

// Watches the handshake so that a refused key is told apart from an engine that is not there.
constexpr int kHandshakeEvents = ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                                 ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                                 ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL;

int send_command(const CtlArguments& args) {
  const std::optional<Target> where = target(args);
  if (!where) return 2;
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any other thread exists
  const char* env_key = std::getenv("GUIJU_CTL_KEY");
  const std::string key_file = !args.key.empty() ? args.key : env_key != nullptr ? env_key : "";
  if (key_file.empty()) {
    std::cerr << "guiju ctl: give your key with --key FILE (or GUIJU_CTL_KEY)\n";
    return 2;
  }
  const CurveKeyPair mine = control::read_key_file(key_file);
  if (!mine.has_secret()) {
    std::cerr << "guiju ctl: " << key_file
              << " holds no secret-key (give the .key, not the .pub)\n";
    return 2;
  }
  const CurveKeyPair server = server_public_key(where->server_key_file);

  zmq::context_t context(1);
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  socket.set(zmq::sockopt::curve_serverkey, server.public_key);
  socket.set(zmq::sockopt::curve_publickey, mine.public_key);
  socket.set(zmq::sockopt::curve_secretkey, mine.secret_key);
  if (zmq_socket_monitor(socket.handle(), "inproc://guiju-ctl-monitor", kHandshakeEvents) != 0) {
    throw zmq::error_t();
  }
  zmq::socket_t monitor(context, zmq::socket_type::pair);
  monitor.connect("inproc://guiju-ctl-monitor");
  socket.connect(where->endpoint);

  std::vector<zmq::const_buffer> request = {zmq::const_buffer(), zmq::buffer(control::kProtocolTag),
                                            zmq::buffer(args.reason)};
  for (const std::string& w : args.words) request.push_back(zmq::buffer(w));
  zmq::send_multipart(socket, request);

  std::array<zmq::pollitem_t, 2> items = {zmq::pollitem_t{socket.handle(), 0, ZMQ_POLLIN, 0},
                                          zmq::pollitem_t{monitor.handle(), 0, ZMQ_POLLIN, 0}};
  zmq::poll(items.data(), items.size(), std::chrono::milliseconds(args.timeout_ms));
  if ((items[1].revents & ZMQ_POLLIN) != 0 && (items[0].revents & ZMQ_POLLIN) == 0) {
    std::vector<zmq::message_t> event;
    (void)zmq::recv_multipart(monitor, std::back_inserter(event));
    uint16_t id = 0;
    if (!event.empty() && event[0].size() >= 2) std::memcpy(&id, event[0].data(), 2);
    std::cerr << "guiju ctl: " << where->endpoint
              << (id == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
                      ? " refused this key ('" + mine.name + "', " +
                            control::key_fingerprint(mine.public_key) +
                            "): it is not on the engine's allow-list\n"
                      : ": the secure handshake failed (is --server-key the engine's key?)\n");
    return 3;
  }
  if ((items[0].revents & ZMQ_POLLIN) == 0) {
    std::cerr << "guiju ctl: no answer from " << where->endpoint << " within " << args.timeout_ms
              << " ms (is the engine running there, and is " << where->server_key_file
              << " its key?)\n";
    return 3;
  }
  std::vector<zmq::message_t> reply;
  (void)zmq::recv_multipart(socket, std::back_inserter(reply));
  control::ReplyStatus status = control::ReplyStatus::kError;
  if (reply.size() != 3 || !control::parse_reply_status(reply[1].to_string_view(), &status)) {
    std::cerr << "guiju ctl: a malformed reply from " << where->endpoint << "\n";
    return 1;
  }
  const std::string_view text = reply[2].to_string_view();
  switch (status) {
    case control::ReplyStatus::kOk:
      std::cout << text;
      return 0;
    case control::ReplyStatus::kError:
      std::cerr << "guiju ctl: " << text << (text.ends_with('\n') ? "" : "\n");
      return 1;
    case control::ReplyStatus::kDenied:
      std::cerr << "guiju ctl: denied: " << text << "\n";
      return 4;
  }
  return 1;
}

}  // namespace

int ctl_command(const CtlArguments& args) {
  try {
    if (args.words.empty() || args.words[0] == "help") {
      std::cout << "guiju ctl [--config FILE | --connect ENDPOINT --server-key FILE] --key FILE "
                   "[--reason TEXT] COMMAND...\nguiju ctl keygen NAME [--dir DIR]\n\n"
                << control::command_help();
      return 0;
    }
    if (args.words[0] == "keygen") return keygen(args);
    if (control::find_command(args.words) == nullptr) {
      std::cerr << "guiju ctl: unknown command '" << args.words[0]
                << "'; `guiju ctl help` lists them\n";
      return 2;
    }
    return send_command(args);
  } catch (const ConfigError& e) {
    std::cerr << "guiju ctl: config error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "guiju ctl: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace guiju

#pragma once
// `guiju venue` as a child process for end-to-end tests: the real program on a free loopback port,
// its QuickFIX settings, config, message stores and logs in the test's temporary directory. The
// test ends it by its pid (tests/support/background_process.hpp).
// Needs GUIJU_BINARY and GUIJU_SOURCE_ROOT, as the other e2e helpers do.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/background_process.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/guiju_cli.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju::test {

inline std::string fix_dictionary(const std::string& begin_string) {
  return std::string(GUIJU_SOURCE_ROOT) +
         (begin_string == "FIX.4.2" ? "/configs/fix/FIX42.xml" : "/configs/fix/FIX44.xml");
}

// A connected loopback socket to port, or -1.
inline int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

struct VenueSessionSpec {
  std::string begin_string;    // FIX.4.2 or FIX.4.4; its dictionary is configs/fix/FIX42/44.xml
  std::string target_comp_id;  // the member's SenderCompID
};

struct VenueProcessOptions {
  // Two order-entry members and a market-data subscriber in FIX 4.4, one member in FIX 4.2.
  std::vector<VenueSessionSpec> sessions = {{"FIX.4.4", "GUIJU-ORD"},
                                            {"FIX.4.4", "GUIJU-ORD2"},
                                            {"FIX.4.4", "GUIJU-MD"},
                                            {"FIX.4.2", "GUIJU-ORD42"}};
  // paper.speed, the background market's pace; 0 keeps configs/venue.yaml's. The lowest the
  // config allows, 0.01, holds the background book still for the length of a test.
  double speed = 0;
};

// The venue, started by the test on a free port with its state in a temporary directory.
class VenueProcess {
 public:
  explicit VenueProcess(const TempDir& dir, const VenueProcessOptions& options = {})
      : port_(free_loopback_port()) {
    std::ostringstream cfg;
    cfg << "[DEFAULT]\nConnectionType=acceptor\nSenderCompID=GUIJU-VENUE\n"
        << "SocketAcceptPort=" << port_ << "\nSocketReuseAddress=Y\n"
        << "FileStorePath=" << (dir.path() / "store").string() << "\n"
        << "FileLogPath=" << (dir.path() / "fixlog").string() << "\n"
        << "NonStopSession=Y\nStartTime=00:00:00\nEndTime=00:00:00\nUseDataDictionary="
           "Y\nDataDictionary="
        << fix_dictionary("FIX.4.4") << "\n";
    for (const VenueSessionSpec& s : options.sessions) {
      cfg << "\n[SESSION]\nBeginString=" << s.begin_string << "\nTargetCompID=" << s.target_comp_id
          << "\n";
      if (s.begin_string != "FIX.4.4")
        cfg << "DataDictionary=" << fix_dictionary(s.begin_string) << "\n";
    }
    const std::string settings = dir.file("venue.cfg", cfg.str());
    std::string yaml = read_file(config_path("venue.yaml"));
    yaml = std::regex_replace(yaml, std::regex("settings: \\S+"), "settings: " + settings);
    yaml = std::regex_replace(yaml, std::regex("directory: logs/venue"),
                              "directory: " + (dir.path() / "logs").string());
    yaml = std::regex_replace(yaml, std::regex("console: true"), "console: false");
    // A calm background, so that a price inside its spread stays inside while a test trades.
    yaml = std::regex_replace(yaml, std::regex("trade_probability: \\S+"),
                              "trade_probability: 0.3\n  volatility_ticks: 0.2");
    if (options.speed > 0) {
      yaml = std::regex_replace(yaml, std::regex("speed: \\S+"),
                                "speed: " + std::to_string(options.speed));
    }
    out_ = (dir.path() / "venue.out").string();
    const std::string config = dir.file("venue.yaml", yaml);

    process_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{GUIJU_BINARY, "venue", "--config", config, "--duration", "60"},
        out_);
  }

  int port() const { return port_; }
  std::string output() const { return read_file(out_); }

  // Waits until the port accepts connections.
  bool WaitListening(std::chrono::seconds limit = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!Running()) return false;
      if (const int fd = connect_loopback(port_); fd >= 0) {
        ::close(fd);
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  bool Running() { return !process_->exited(); }
  // SIGTERM (SIGKILL after the limit): its exit code, 0 after a clean stop.
  int Terminate(std::chrono::seconds limit = std::chrono::seconds(20)) {
    return process_->stop(limit);
  }

 private:
  int port_;
  std::string out_;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace guiju::test

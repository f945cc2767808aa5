// ServiceNotifier against real AF_UNIX datagram sockets, bound as systemd binds its own: a path
// and an abstract name.

#include "core/service/sd_notify.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "tests/support/notify_socket.hpp"
#include "tests/support/temp_dir.hpp"

namespace guiju {
namespace {

using namespace std::chrono_literals;
using test::NotifySocket;

TEST(ServiceNotifier, SendsEachStateAsOneDatagramToAPath) {
  test::TempDir dir;
  NotifySocket socket((dir.path() / "notify").string());
  const ServiceNotifier notifier(socket.name());
  ASSERT_TRUE(notifier.enabled());
  EXPECT_TRUE(notifier.ready());
  EXPECT_EQ(socket.receive(1s), "READY=1");
  EXPECT_TRUE(notifier.status("trading\n3 strategies"));
  EXPECT_EQ(socket.receive(1s), "STATUS=trading 3 strategies");
  EXPECT_TRUE(notifier.stopping());
  EXPECT_EQ(socket.receive(1s), "STOPPING=1");
  EXPECT_TRUE(notifier.watchdog());
  EXPECT_EQ(socket.receive(1s), "WATCHDOG=1");
}

TEST(ServiceNotifier, ReachesAnAbstractSocketNamedWithAnAt) {
  const std::string name = "@guiju-notify-test-" + std::to_string(::getpid());
  NotifySocket socket(name);
  const ServiceNotifier notifier(name);
  ASSERT_TRUE(notifier.enabled());
  EXPECT_TRUE(notifier.notify("READY=1\nSTATUS=up"));
  EXPECT_EQ(socket.receive(1s), "READY=1\nSTATUS=up");
}

TEST(ServiceNotifier, IsANoOpWithoutASocket) {
  const ServiceNotifier none("");
  EXPECT_FALSE(none.enabled());
  EXPECT_FALSE(none.ready());
  const ServiceNotifier relative("notify");  // neither a path nor an abstract name
  EXPECT_FALSE(relative.enabled());
}

TEST(ServiceNotifier, ReadsNotifySocketFromTheEnvironment) {
  test::TempDir dir;
  NotifySocket socket((dir.path() / "env-notify").string());
  // The test's own thread is the only one that touches the environment.
  // NOLINTNEXTLINE(concurrency-mt-unsafe)
  ASSERT_EQ(::setenv("NOTIFY_SOCKET", socket.name().c_str(), 1), 0);
  const ServiceNotifier notifier;
  ::unsetenv("NOTIFY_SOCKET");  // NOLINT(concurrency-mt-unsafe)
  EXPECT_TRUE(notifier.ready());
  EXPECT_EQ(socket.receive(1s), "READY=1");
}

TEST(ServiceNotifier, ReportsWhyASendFailed) {
  test::TempDir dir;
  const ServiceNotifier notifier((dir.path() / "nobody-listens").string());
  ASSERT_TRUE(notifier.enabled());
  std::string error;
  EXPECT_FALSE(notifier.notify("READY=1", &error));
  EXPECT_NE(error.find("nobody-listens"), std::string::npos) << error;
}

}  // namespace
}  // namespace guiju

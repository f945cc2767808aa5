#pragma once
// Readiness and state for a service manager: systemd's notification protocol (sd_notify(3)),
// spoken directly so that the engine needs no libsystemd. Under `Type=notify`, systemd passes the
// path of a datagram socket in $NOTIFY_SOCKET and waits for "READY=1" before it counts the unit as
// started; "STATUS=..." is what `systemctl status` shows; "STOPPING=1" says a stop is under way;
// "WATCHDOG=1" feeds WatchdogSec=. Without $NOTIFY_SOCKET (run from a shell) every call is a no-op.

#include <string>
#include <string_view>

namespace guiju {

class ServiceNotifier {
 public:
  // Reads $NOTIFY_SOCKET: a filesystem path, or an abstract socket name written with a leading
  // '@'. An empty or unusable value leaves the notifier disabled.
  ServiceNotifier();
  // For tests and for callers that know the socket: the same forms as $NOTIFY_SOCKET.
  explicit ServiceNotifier(std::string_view socket);

  bool enabled() const { return !socket_.empty(); }

  // Sends one datagram of newline-separated KEY=VALUE assignments. Returns false when disabled or
  // when the send fails (why, in *error when given): the engine trades whether or not a service
  // manager listens, so a failure is the caller's to log, never to act on. Thread-safe.
  bool notify(std::string_view state, std::string* error = nullptr) const;

  bool ready() const { return notify("READY=1"); }
  bool stopping() const { return notify("STOPPING=1"); }
  bool reloading() const { return notify("RELOADING=1"); }
  bool watchdog() const { return notify("WATCHDOG=1"); }
  // A status line: newlines are replaced by spaces, since they would end the assignment.
  bool status(std::string_view text) const;

 private:
  std::string socket_;
};

// The process-wide notifier of a service program, reading $NOTIFY_SOCKET once.
const ServiceNotifier& service_notifier();

}  // namespace guiju

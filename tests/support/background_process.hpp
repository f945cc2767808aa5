#pragma once
// A program a test starts and leaves running while it works (the venue, the engine in live mode),
// its standard output and error going to a file the test can read as it grows. The test ends it
// by its pid (SIGTERM, and SIGKILL only if it will not stop); the destructor makes sure it is gone.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace guiju::test {

class BackgroundProcess {
 public:
  // Starts argv[0] with its output (stdout and stderr) appended to output_path.
  BackgroundProcess(const std::vector<std::string>& argv, std::string output_path)
      : output_path_(std::move(output_path)) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path_.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  }
  ~BackgroundProcess() {
    if (pid_ > 0) stop(std::chrono::seconds(5));
  }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }

  // What it has written so far.
  std::string output() const {
    std::ifstream in(output_path_, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // Waits until its output contains `text` (true), it exits, or the timeout passes (false).
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
    return wait_until([&] { return output().find(text) != std::string::npos; }, timeout);
  }
  bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      if (exited()) return done();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // True once it has exited on its own (its status is then in exit_code()).
  bool exited() {
    if (pid_ <= 0) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
    record(status);
    return true;
  }

  // Waits up to `timeout` for it to exit by itself; false if it is still running.
  bool wait(std::chrono::milliseconds timeout) {
    return wait_until([&] { return exited(); }, timeout);
  }

  // SIGTERM, then SIGKILL if it has not exited within `grace`. Returns its exit code (128 + the
  // signal when a signal ended it).
  int stop(std::chrono::milliseconds grace) {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      if (!wait(grace) && pid_ > 0) {
        kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
        record(status);
      }
    }
    return exit_code_;
  }
  int exit_code() const { return exit_code_; }

 private:
  void record(int status) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
  }

  std::string output_path_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

}  // namespace guiju::test

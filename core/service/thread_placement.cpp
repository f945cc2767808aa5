#include "core/service/thread_placement.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace guiju {

namespace {

std::vector<int> from_mask(const cpu_set_t& mask) {
  std::vector<int> cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &mask)) cpus.push_back(c);
  }
  return cpus;
}

bool parse_int(std::string_view text, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 0;
}

}  // namespace

bool parse_cpu_list(std::string_view text, std::vector<int>& cpus) {
  cpus.clear();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  if (text.empty()) return false;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const size_t dash = item.find('-');
    int first = 0;
    int last = 0;
    if (dash == std::string_view::npos) {
      if (!parse_int(item, first)) return false;
      last = first;
    } else if (!parse_int(item.substr(0, dash), first) || !parse_int(item.substr(dash + 1), last) ||
               last < first) {
      return false;
    }
    for (int c = first; c <= last; ++c) cpus.push_back(c);
  }
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return true;
}

std::vector<int> online_cpus() {
  std::ifstream in("/sys/devices/system/cpu/online");
  std::string text;
  std::vector<int> cpus;
  if (std::getline(in, text) && parse_cpu_list(text, cpus)) return cpus;
  // No sysfs (a minimal container): every configured CPU.
  const long n = sysconf(_SC_NPROCESSORS_CONF);
  for (int c = 0; c < n; ++c) cpus.push_back(c);
  return cpus;
}

std::vector<int> allowed_cpus() {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof(mask), &mask) != 0) return online_cpus();
  return from_mask(mask);
}

std::string cpu_list(const std::vector<int>& cpus) {
  std::string text;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!text.empty()) text += ',';
    text += std::to_string(cpus[i]);
    if (j > i) text += '-' + std::to_string(cpus[j]);
    i = j + 1;
  }
  return text;
}

std::vector<pid_t> thread_ids() {
  std::vector<pid_t> ids;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    int id = 0;
    if (parse_int(entry.path().filename().string(), id)) ids.push_back(static_cast<pid_t>(id));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

pid_t current_thread_id() {
  return static_cast<pid_t>(::syscall(SYS_gettid));
}

std::string place_thread(pid_t tid, std::string_view name, const std::vector<int>& cpus) {
  // The kernel keeps 15 characters (TASK_COMM_LEN less the terminator); longer names are refused
  // by pthread_setname_np, so cut them here. Writing comm works for any thread of the process.
  const std::string comm(name.substr(0, 15));
  if (tid == current_thread_id()) {
    if (const int rc = pthread_setname_np(pthread_self(), comm.c_str()); rc != 0) {
      return "naming thread " + std::to_string(tid) + ": " + std::generic_category().message(rc);
    }
  } else {
    std::ofstream out("/proc/self/task/" + std::to_string(tid) + "/comm");
    out << comm;
    out.flush();
    // A thread that ended meanwhile has nothing left to name or pin.
    if (!out) return {};
  }
  if (cpus.empty()) return {};
  cpu_set_t mask;
  CPU_ZERO(&mask);
  for (const int c : cpus) CPU_SET(c, &mask);
  if (sched_setaffinity(tid, sizeof(mask), &mask) != 0) {
    return "pinning thread " + comm + " (" + std::to_string(tid) + ") to CPUs " + cpu_list(cpus) +
           ": " + std::generic_category().message(errno);
  }
  return {};
}

std::string place_new_threads(const std::vector<pid_t>& before, std::string_view name,
                              const std::vector<int>& cpus) {
  for (const pid_t tid : thread_ids()) {
    if (std::binary_search(before.begin(), before.end(), tid)) continue;
    if (std::string error = place_thread(tid, name, cpus); !error.empty()) return error;
  }
  return {};
}

}  // namespace guiju

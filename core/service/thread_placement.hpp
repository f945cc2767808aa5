#pragma once
// Naming threads and pinning them to CPUs (the config's `threads` section; deploy/tuning.md says
// which cores to give them). Names show in top -H, ps -L, perf and /proc/PID/task/TID/comm, so an
// operator sees which thread burns which core; pinning keeps the engine thread on an isolated
// core, off the cores the kernel, the NIC's interrupts and the other threads use.
//
// Threads are addressed by their kernel thread id, so that threads a library starts (QuickFIX's,
// ZeroMQ's) can be placed as well as our own: a caller takes thread_ids() before it starts a
// component and places the ones that appeared after.

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace guiju {

// The CPUs this machine has online (/sys/devices/system/cpu/online), ascending.
std::vector<int> online_cpus();
// The CPUs the calling thread may run on (its affinity mask: taskset, systemd's CPUAffinity=).
std::vector<int> allowed_cpus();
// "0-3,6": the form of the kernel's lists and of Cpus_allowed_list.
std::string cpu_list(const std::vector<int>& cpus);
// Parses that form; false for anything else.
bool parse_cpu_list(std::string_view text, std::vector<int>& cpus);

// The kernel thread ids of this process's threads (/proc/self/task), ascending.
std::vector<pid_t> thread_ids();
// The calling thread's id.
pid_t current_thread_id();

// Names a thread of this process (at most 15 characters are kept) and, when `cpus` is not
// empty, pins it to them. Returns an empty string, or what failed and why.
std::string place_thread(pid_t tid, std::string_view name, const std::vector<int>& cpus);
// place_thread for every thread now running that `before` does not hold.
std::string place_new_threads(const std::vector<pid_t>& before, std::string_view name,
                              const std::vector<int>& cpus);

}  // namespace guiju

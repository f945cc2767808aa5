#pragma once
// A spin-wait hint: lets the sibling hyperthread run and saves power while polling a cache line.

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace guiju {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

}  // namespace guiju

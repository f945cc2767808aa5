#pragma once
// For the tests that need a GPU: skip, printing why (cudaGetDeviceCount's error), when this
// process has no CUDA device, so that they build and skip on machines without one and run
// wherever there is one.

#include <gtest/gtest.h>

#include <string>

#include "inference/cuda/device_probe.hpp"

#define GUIJU_SKIP_WITHOUT_CUDA_DEVICE()                                           \
  do {                                                                             \
    const std::string guiju_why = ::guiju::inference::cuda::device_unavailable(0); \
    if (!guiju_why.empty()) GTEST_SKIP() << guiju_why;                             \
  } while (false)

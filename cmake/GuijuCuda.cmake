# CUDA is optional: AUTO turns it on when a CUDA compiler is found (nvcc in /usr/local/cuda or on
# PATH), so the same tree builds on machines without a GPU toolkit.
set(GUIJU_CUDA_ENABLED OFF)
if(NOT GUIJU_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    # Native code for Hopper (sm_90: the H100 and H200 the CUDA benchmarks run on) and PTX for
    # compute_75, which the driver compiles on first load for any other GPU from Turing on
    # (Ampere, Ada, Blackwell). Two targets keep the CI's nvcc time small; set
    # CMAKE_CUDA_ARCHITECTURES for native code elsewhere (e.g. -DCMAKE_CUDA_ARCHITECTURES=80-real).
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 90-real 75-virtual CACHE STRING "GPU targets of the CUDA backend")
    endif()
    # C++17 for the .cu files (the kernels and their launchers): all they need, and the newest
    # dialect CMake 3.25 knows how to ask nvcc for. Host code is C++20 in .cpp files.
    set(CMAKE_CUDA_STANDARD 17)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    set(GUIJU_CUDA_ENABLED ON)
  elseif(GUIJU_CUDA STREQUAL "ON")
    message(FATAL_ERROR "GUIJU_CUDA=ON but no CUDA compiler was found (looked for nvcc)")
  else()
    message(STATUS "CUDA compiler not found: the CUDA backend is not built")
  endif()
endif()

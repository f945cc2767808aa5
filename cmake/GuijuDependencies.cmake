# The whole dependency set of DESIGN.md, found once here so that CI proves it installs.
# Every package comes from Debian (scripts/install-deps.sh); nothing is downloaded at build time.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

# Messaging between processes and hosts.
pkg_check_modules(ZMQ REQUIRED IMPORTED_TARGET libzmq)
find_package(cppzmq REQUIRED)

# Boost: Asio/Beast for HTTP, lockfree as the baseline the SPSC ring must beat (header-only parts).
find_package(Boost 1.74 REQUIRED)

# FIX engine (order entry and market data adapters): QuickFIX, found by its files rather than its
# pkg-config file, which names an older version and requires libxml-2.0's. Include it only through
# adapters/fix/quickfix.hpp: its headers do not compile as C++20 on their own.
find_path(QUICKFIX_INCLUDE_DIR quickfix/Application.h)
find_library(QUICKFIX_LIBRARY quickfix)
if(NOT QUICKFIX_INCLUDE_DIR OR NOT QUICKFIX_LIBRARY)
  message(FATAL_ERROR "QuickFIX not found (its headers quickfix/*.h and its library libquickfix). "
    "On Debian install the package libquickfix-dev (scripts/install-deps.sh installs it), or set "
    "QUICKFIX_INCLUDE_DIR and QUICKFIX_LIBRARY to where it is.")
endif()
add_library(QuickFIX::quickfix UNKNOWN IMPORTED)
set_target_properties(QuickFIX::quickfix PROPERTIES
  IMPORTED_LOCATION "${QUICKFIX_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${QUICKFIX_INCLUDE_DIR}")

find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(OpenSSL 3 REQUIRED)
# Recorded market data ships as ZIP and gzip archives.
find_package(ZLIB REQUIRED)

# Model loading and CPU inference.
find_package(ONNX REQUIRED)
find_package(Protobuf REQUIRED)
find_package(Eigen3 REQUIRED NO_MODULE)

if(GUIJU_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(GUIJU_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()

# The whole dependency set of DESIGN.md, found once here so that CI proves it installs.
# Every package comes from Debian (scripts/install-deps.sh); nothing is downloaded at build time.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

# Messaging between processes and hosts.
pkg_check_modules(ZMQ REQUIRED IMPORTED_TARGET libzmq)
find_package(cppzmq REQUIRED)

# Boost: Asio/Beast for HTTP, lockfree as the baseline the SPSC ring must beat (header-only parts).
find_package(Boost 1.74 REQUIRED)

# FIX engine (order entry and market data adapters).
pkg_check_modules(QUICKFIX REQUIRED IMPORTED_TARGET quickfix)

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

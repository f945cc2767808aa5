#pragma once
// A request as a front end hands it to the batcher: trivially copyable, so it travels through an
// SPSC ring (core/bus/spsc_ring.hpp) without allocating. The input tensor is not copied here: it
// stays in the front end's buffer (the received frame) until the job is completed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "inference/protocol/admin_request.hpp"
#include "inference/protocol/frame_header.hpp"

namespace guiju::inference {

class Completion;

template <size_t N>
struct ShortName {
  std::array<char, N> bytes{};
  uint8_t length = 0;

  // False when text is longer than N (the decoders never let one through).
  bool assign(std::string_view text) {
    if (text.size() > N) return false;
    for (size_t i = 0; i < text.size(); ++i) bytes[i] = text[i];
    length = static_cast<uint8_t>(text.size());
    return true;
  }
  std::string_view view() const { return {bytes.data(), length}; }
};

enum class JobKind : uint8_t { kInfer = 1, kAdmin = 2 };

struct InferJob {
  JobKind kind = JobKind::kInfer;
  AdminCommand command = AdminCommand::kHealth;  // kAdmin only
  uint32_t rows = 0;
  uint32_t row_elements = 0;
  uint64_t request_id = 0;
  uint64_t tag = 0;  // the front end's: which client and buffer to answer
  Completion* completion = nullptr;
  int64_t deadline_ns = 0;  // CLOCK_REALTIME ns; 0 = none
  int64_t received_ns = 0;  // CLOCK_MONOTONIC ns, when the front end took it
  // rows * row_elements little-endian float32, unaligned; valid until the job is completed.
  const std::byte* data = nullptr;
  ShortName<kMaxNameBytes> name;
  ShortName<kMaxVersionBytes> version;  // empty: the latest loaded
};

}  // namespace guiju::inference

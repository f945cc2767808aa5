#pragma once
// The service's binary wire format (guiju-inferd over ZeroMQ): every message is one frame that
// starts with this header. Fixed layouts, little-endian, copied in and out with memcpy, so a
// frame needs no alignment and the structs below are the documentation of the bytes
// (docs/inference.md has the tables). A layout change bumps kWireVersion; a peer speaking another
// version is answered with an error frame naming the version field.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "inference/protocol/decode_error.hpp"

namespace guiju::inference {

// The structs are the wire: a big-endian host would need byte swaps this code does not have.
static_assert(std::endian::native == std::endian::little, "the wire format is little-endian");

inline constexpr uint32_t kWireMagic = 0x46494A47;  // the bytes "GJIF"
inline constexpr uint16_t kWireVersion = 1;

// Limits every decoder enforces before it looks further into a frame.
inline constexpr size_t kMaxNameBytes = 64;     // a model name: a directory of the repository
inline constexpr size_t kMaxVersionBytes = 32;  // a version: a directory under the name
inline constexpr uint32_t kMaxRows = 4096;      // load_model's kMaxBatchLimit
inline constexpr uint32_t kMaxRowElements = uint32_t{1} << 24;  // LoadLimits' tensor elements
// The most bytes one frame may have; the server sets it as ZMQ_MAXMSGSIZE, so a peer that sends
// more is disconnected by ZeroMQ before anything is allocated for it.
inline constexpr size_t kMaxFrameBytes = size_t{64} << 20;

enum class MessageKind : uint16_t {
  kInferRequest = 1,
  kInferReply = 2,
  kErrorReply = 3,  // the answer to a frame that does not decode
  kAdminRequest = 4,
  kAdminReply = 5,
};
std::string_view to_string(MessageKind kind);

struct FrameHeader {
  uint32_t magic = kWireMagic;      // 0
  uint16_t version = kWireVersion;  // 4
  uint16_t kind = 0;                // 6: MessageKind
};
static_assert(sizeof(FrameHeader) == 8);

// Where a header's field lies, for error messages that name the field a frame got wrong.
struct FieldSpan {
  const char* name;
  uint32_t offset;
  uint32_t size;
};

// Checks the magic, the version and the kind. kind is set only when the result is no error.
DecodeError decode_frame_header(std::span<const std::byte> frame, MessageKind& kind);

// The first field of a header of `fields` that a frame of `size` bytes does not hold whole: the
// error for a truncated frame.
DecodeError truncated(std::span<const FieldSpan> fields, size_t size);

// Names and versions are repository directories: non-empty where required, [A-Za-z0-9._-], not
// starting with '.', so that no name read off the wire can walk out of the repository.
DecodeError check_name(std::string_view text, const char* field, uint32_t offset, bool required);

}  // namespace guiju::inference

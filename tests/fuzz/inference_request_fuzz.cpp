// libFuzzer target for the inference service's request decoders: any bytes, as a frame from a
// client, must decode or be refused with a DecodeError naming a field inside the frame; never a
// crash, a read outside the frame or undefined behaviour (built with ASan and UBSan). What
// decodes must re-encode to the same bytes, and every refusal must make an error reply.
// Run by scripts/fuzz.sh.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "inference/protocol/admin_request.hpp"
#include "inference/protocol/error_reply.hpp"
#include "inference/protocol/infer_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace guiju::inference;
  // A copy of exactly `size` bytes, so ASan sees any read past the frame.
  std::vector<std::byte> frame(size);
  if (size != 0) std::memcpy(frame.data(), data, size);
  std::vector<std::byte> reply(kMaxErrorReplyBytes);

  InferRequestView request;
  if (const DecodeError e = decode_infer_request(frame, request)) {
    if (e.offset > size || encode_error_reply(reply, request_id_of(frame), e) == 0) std::abort();
  } else {
    std::vector<float> values(request.data.size() / sizeof(float));
    request.copy_data(values.data());
    std::vector<std::byte> again(infer_request_size(request.fields));
    if (encode_infer_request(again, request.fields, values) != size ||
        std::memcmp(again.data(), frame.data(), size) != 0) {
      std::abort();
    }
  }
  AdminRequestView admin;
  if (const DecodeError e = decode_admin_request(frame, admin)) {
    if (e.offset > size || encode_error_reply(reply, request_id_of(frame), e) == 0) std::abort();
  }
  return 0;
}

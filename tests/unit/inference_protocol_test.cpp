// The service's wire format (inference/protocol/): every message round-trips, and every way a
// frame can be wrong is refused with the field and the byte offset at fault, never read past.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "inference/protocol/admin_reply.hpp"
#include "inference/protocol/admin_request.hpp"
#include "inference/protocol/error_reply.hpp"
#include "inference/protocol/infer_reply.hpp"
#include "inference/protocol/infer_request.hpp"

namespace guiju::inference {
namespace {

using Bytes = std::vector<std::byte>;

Bytes request_frame(const InferRequestFields& f, const std::vector<float>& data) {
  Bytes out(infer_request_size(f));
  EXPECT_EQ(encode_infer_request(out, f, data), out.size());
  return out;
}

InferRequestFields fields(uint32_t rows = 2, uint32_t elements = 3) {
  InferRequestFields f;
  f.request_id = 0x1122334455667788ULL;
  f.deadline_ns = 1'700'000'000'123'456'789;
  f.name = "alpha";
  f.version = "12";
  f.rows = rows;
  f.row_elements = elements;
  return f;
}

template <typename T>
void put(Bytes& frame, size_t offset, T value) {
  std::memcpy(frame.data() + offset, &value, sizeof value);
}

// The error a request frame gets, as "field@offset: sentence".
std::string refusal(const Bytes& frame) {
  InferRequestView v;
  const DecodeError e = decode_infer_request(frame, v);
  if (!e) return "accepted";
  return std::string(e.field) + "@" + std::to_string(e.offset) + ": " + describe(e);
}

TEST(InferenceProtocol, InferRequestRoundTripsWithNanAndInfinity) {
  const std::vector<float> data{1.5F,
                                -0.0F,
                                std::numeric_limits<float>::quiet_NaN(),
                                std::numeric_limits<float>::infinity(),
                                1e-38F,
                                -3.25F};
  const Bytes frame = request_frame(fields(), data);
  EXPECT_EQ(frame.size(), 40u + 5 + 2 + 24);
  InferRequestView v;
  ASSERT_FALSE(decode_infer_request(frame, v)) << refusal(frame);
  EXPECT_EQ(v.fields.request_id, 0x1122334455667788ULL);
  EXPECT_EQ(v.fields.deadline_ns, 1'700'000'000'123'456'789);
  EXPECT_EQ(v.fields.name, "alpha");
  EXPECT_EQ(v.fields.version, "12");
  EXPECT_EQ(v.fields.rows, 2u);
  EXPECT_EQ(v.fields.row_elements, 3u);
  EXPECT_EQ(v.data_offset, 47u);
  std::vector<float> back(6);
  v.copy_data(back.data());
  EXPECT_EQ(std::memcmp(back.data(), data.data(), sizeof(float) * 6), 0);  // NaN bits too
  EXPECT_TRUE(std::isnan(back[2]));
}

TEST(InferenceProtocol, TheHeaderIsLittleEndianAtTheDocumentedOffsets) {
  const Bytes frame = request_frame(fields(), std::vector<float>(6, 0.0F));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(frame.data()), 4), "GJIF");
  EXPECT_EQ(frame[4], std::byte{1});     // version 1
  EXPECT_EQ(frame[6], std::byte{1});     // kind: infer request
  EXPECT_EQ(frame[8], std::byte{0x88});  // request id, least significant byte first
  EXPECT_EQ(frame[24], std::byte{5});    // name_length
  EXPECT_EQ(frame[28], std::byte{2});    // rows
  EXPECT_EQ(frame[32], std::byte{3});    // row_elements
  EXPECT_EQ(static_cast<char>(frame[40]), 'a');
}

TEST(InferenceProtocol, AnEmptyVersionMeansTheLatest) {
  InferRequestFields f = fields(1, 1);
  f.version = "";
  const Bytes frame = request_frame(f, {4.0F});
  InferRequestView v;
  ASSERT_FALSE(decode_infer_request(frame, v));
  EXPECT_TRUE(v.fields.version.empty());
}

TEST(InferenceProtocol, EveryTruncationNamesTheFieldItCuts) {
  const Bytes frame = request_frame(fields(), std::vector<float>(6, 1.0F));
  for (size_t n = 0; n < frame.size(); ++n) {
    const Bytes cut(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n));
    InferRequestView v;
    const DecodeError e = decode_infer_request(cut, v);
    ASSERT_TRUE(e) << "a frame cut to " << n << " bytes was accepted";
    if (n < 8) {
      EXPECT_TRUE(std::string(e.field) == "magic" || std::string(e.field) == "version" ||
                  std::string(e.field) == "kind")
          << n << ": " << describe(e);
    } else if (n < 40) {
      EXPECT_NE(std::string(describe(e)).find("cut off"), std::string::npos) << describe(e);
      EXPECT_LE(e.offset, n);
    } else {
      EXPECT_TRUE(std::string(e.field) == "name" || std::string(e.field) == "version" ||
                  std::string(e.field) == "data")
          << n << ": " << describe(e);
    }
  }
  EXPECT_EQ(refusal(Bytes(frame.begin(), frame.begin() + 20)),
            "deadline_ns@16: deadline_ns at byte 16: is cut off: the frame is too short (got 20, "
            "limit 24)");
}

TEST(InferenceProtocol, WrongMagicVersionOrKind) {
  Bytes frame = request_frame(fields(), std::vector<float>(6, 1.0F));
  Bytes bad = frame;
  put<uint32_t>(bad, 0, 0x12345678);
  EXPECT_EQ(refusal(bad).substr(0, 8), "magic@0:");
  bad = frame;
  put<uint16_t>(bad, 4, 2);
  EXPECT_EQ(refusal(bad),
            "version@4: version at byte 4: is not a protocol version this service speaks (got 2, "
            "limit 1)");
  bad = frame;
  put<uint16_t>(bad, 6, 99);
  EXPECT_EQ(refusal(bad).substr(0, 7), "kind@6:");
  bad = frame;
  put<uint16_t>(bad, 6, static_cast<uint16_t>(MessageKind::kAdminRequest));
  EXPECT_NE(refusal(bad).find("is not an infer request"), std::string::npos) << refusal(bad);
}

TEST(InferenceProtocol, LengthsAndCountsOutOfRange) {
  const Bytes frame = request_frame(fields(), std::vector<float>(6, 1.0F));
  Bytes bad = frame;
  put<uint8_t>(bad, 24, 0);
  EXPECT_EQ(refusal(bad).substr(0, 15), "name_length@24:");
  bad = frame;
  put<uint8_t>(bad, 24, 65);
  EXPECT_EQ(refusal(bad).substr(0, 15), "name_length@24:");
  bad = frame;
  put<uint8_t>(bad, 25, 33);
  EXPECT_EQ(refusal(bad).substr(0, 18), "version_length@25:");
  bad = frame;
  put<uint8_t>(bad, 24, 60);  // a name longer than the frame
  EXPECT_EQ(refusal(bad).substr(0, 8), "name@40:") << refusal(bad);
  bad = frame;
  put<uint16_t>(bad, 26, 1);
  EXPECT_EQ(refusal(bad).substr(0, 12), "reserved@26:");
  bad = frame;
  put<uint32_t>(bad, 36, 7);
  EXPECT_EQ(refusal(bad).substr(0, 13), "reserved2@36:");
  bad = frame;
  put<uint32_t>(bad, 28, 0);
  EXPECT_EQ(refusal(bad).substr(0, 8), "rows@28:");
  bad = frame;
  put<uint32_t>(bad, 28, 4097);
  EXPECT_EQ(refusal(bad).substr(0, 8), "rows@28:");
  bad = frame;
  put<uint32_t>(bad, 32, 0);
  EXPECT_EQ(refusal(bad).substr(0, 16), "row_elements@32:");
  bad = frame;
  put<uint32_t>(bad, 32, 0xffffffffU);
  EXPECT_EQ(refusal(bad).substr(0, 16), "row_elements@32:");
}

TEST(InferenceProtocol, RowsTimesElementsBeyondTheFrameIsRefusedNotWrapped) {
  const Bytes frame = request_frame(fields(), std::vector<float>(6, 1.0F));
  Bytes bad = frame;
  put<uint32_t>(bad, 28, 4096);
  put<uint32_t>(bad, 32, 1U << 24);  // 2^36 floats: 256 GiB claimed by a 71-byte frame
  EXPECT_EQ(refusal(bad),
            "data@47: data at byte 47: rows * row_elements float32 do not fit in the frame (got "
            "274877906944, limit 24)");
  bad = frame;
  put<uint32_t>(bad, 32, 2);  // 16 bytes claimed, 24 there
  EXPECT_EQ(refusal(bad).substr(0, 8), "data@63:") << refusal(bad);
  bad = frame;
  bad.push_back(std::byte{0});
  EXPECT_NE(refusal(bad).find("the frame goes on"), std::string::npos);
}

TEST(InferenceProtocol, NamesThatCouldLeaveTheRepositoryAreRefused) {
  for (const char* name : {"../x", "a/b", ".hidden", "sp ace", "nul\x01"}) {
    InferRequestFields f = fields(1, 1);
    f.name = name;
    const Bytes frame = request_frame(f, {1.0F});
    EXPECT_EQ(refusal(frame).substr(0, 4), "name") << name << ": " << refusal(frame);
  }
  InferRequestFields f = fields(1, 1);
  f.version = "..";
  EXPECT_EQ(refusal(request_frame(f, {1.0F})).substr(0, 11), "version@45:");
}

TEST(InferenceProtocol, RandomBytesNeverCrashTheDecoders) {
  std::mt19937 rng(7);
  const Bytes good = request_frame(fields(), std::vector<float>(6, 1.0F));
  size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes b = good;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) b[rng() % b.size()] = static_cast<std::byte>(rng());
    b.resize(rng() % (b.size() + 8), std::byte{0});
    InferRequestView v;
    AdminRequestView a;
    InferReplyView r;
    ErrorReplyView e;
    AdminReply ar;
    if (!decode_infer_request(b, v)) {
      ++accepted;
      ASSERT_EQ(b.size(), infer_request_size(v.fields));
    }
    (void)decode_admin_request(b, a);
    (void)decode_infer_reply(b, r);
    (void)decode_error_reply(b, e);
    (void)decode_admin_reply(b, ar);
  }
  EXPECT_GT(accepted, 0u);  // some mutations keep the frame valid (data bytes)
}

TEST(InferenceProtocol, InferReplyRoundTrips) {
  InferReplyFields f;
  f.request_id = 42;
  f.status = ReplyStatus::kOk;
  f.name = "alpha";
  f.version = "3";
  for (size_t i = 0; i < 32; ++i) f.sha256[i] = static_cast<uint8_t>(i * 7);
  f.queue_ns = 1234;
  f.compute_ns = 5678;
  f.rows = 2;
  f.row_elements = 2;
  const std::vector<float> out{0.5F, std::numeric_limits<float>::quiet_NaN(), -1.0F, 2.0F};
  Bytes frame(infer_reply_size(f));
  ASSERT_EQ(encode_infer_reply(frame, f, out), frame.size());
  EXPECT_EQ(encode_infer_reply(std::span(frame).first(frame.size() - 1), f, out), 0u);
  InferReplyView v;
  ASSERT_FALSE(decode_infer_reply(frame, v));
  EXPECT_EQ(v.fields.request_id, 42u);
  EXPECT_EQ(v.fields.status, ReplyStatus::kOk);
  EXPECT_EQ(v.fields.name, "alpha");
  EXPECT_EQ(v.fields.version, "3");
  EXPECT_EQ(v.fields.sha256, f.sha256);
  EXPECT_EQ(v.fields.queue_ns, 1234);
  EXPECT_EQ(v.fields.compute_ns, 5678);
  std::vector<float> back(4);
  v.copy_data(back.data());
  EXPECT_EQ(std::memcmp(back.data(), out.data(), 16), 0);
  put<uint16_t>(frame, 16, 7);
  EXPECT_TRUE(decode_infer_reply(frame, v));
  for (uint16_t s = 0; s <= kLastReplyStatus; ++s) {
    EXPECT_NE(to_string(static_cast<ReplyStatus>(s)), "unknown status");
  }
}

TEST(InferenceProtocol, ErrorReplyCarriesFieldOffsetAndSentence) {
  Bytes bad = request_frame(fields(), std::vector<float>(6, 1.0F));
  put<uint32_t>(bad, 28, 0);
  InferRequestView v;
  const DecodeError e = decode_infer_request(bad, v);
  ASSERT_TRUE(e);
  Bytes frame(kMaxErrorReplyBytes);
  const size_t n = encode_error_reply(frame, request_id_of(bad), e);
  ASSERT_GT(n, 0u);
  frame.resize(n);
  ErrorReplyView r;
  ASSERT_FALSE(decode_error_reply(frame, r));
  EXPECT_EQ(r.request_id, 0x1122334455667788ULL);
  EXPECT_EQ(r.field, "rows");
  EXPECT_EQ(r.offset, 28u);
  EXPECT_EQ(r.message, "rows at byte 28: is out of range 1..4096 (got 0, limit 4096)");
  // Not our frame: no request id is made up from its bytes.
  const Bytes stranger(32, std::byte{0x41});
  EXPECT_EQ(request_id_of(stranger), 0u);
}

TEST(InferenceProtocol, AdminRequestsRoundTripAndNeedANameToLoad) {
  Bytes frame(kMaxAdminRequestBytes);
  AdminRequestView load{7, AdminCommand::kLoad, "alpha", "2"};
  size_t n = encode_admin_request(frame, load);
  ASSERT_EQ(n, 24u + 6);
  AdminRequestView v;
  ASSERT_FALSE(decode_admin_request(std::span(frame).first(n), v));
  EXPECT_EQ(v.request_id, 7u);
  EXPECT_EQ(v.command, AdminCommand::kLoad);
  EXPECT_EQ(v.name, "alpha");
  EXPECT_EQ(v.version, "2");
  AdminRequestView nameless{8, AdminCommand::kUnload, "", ""};
  n = encode_admin_request(frame, nameless);
  DecodeError e = decode_admin_request(std::span(frame).first(n), v);
  ASSERT_TRUE(e);
  EXPECT_EQ(std::string(e.field), "name_length");
  AdminRequestView list{9, AdminCommand::kList, "", ""};
  n = encode_admin_request(frame, list);
  ASSERT_FALSE(decode_admin_request(std::span(frame).first(n), v));
  EXPECT_EQ(v.command, AdminCommand::kList);
  put<uint16_t>(frame, 16, 9);
  e = decode_admin_request(std::span(frame).first(n), v);
  ASSERT_TRUE(e);
  EXPECT_EQ(std::string(e.field), "command");
  EXPECT_EQ(e.offset, 16u);
}

TEST(InferenceProtocol, AdminReplyRoundTripsWithModelEntries) {
  AdminReply reply;
  reply.request_id = 11;
  reply.command = AdminCommand::kList;
  reply.status = ReplyStatus::kOk;
  reply.message = "two models";
  ModelEntry a;
  a.name = "alpha";
  a.version = "1";
  a.state = ModelState::kDraining;
  a.max_batch = 64;
  a.queued = 3;
  a.sha256[0] = 0xab;
  a.answered = 100;
  a.expired = 2;
  a.overloaded = 1;
  a.errors = 4;
  a.input_shape = {4, 16};
  a.output_shape = {3};
  ModelEntry b = a;
  b.name = "beta";
  b.version = "10";
  b.state = ModelState::kReady;
  b.input_shape = {};
  reply.models = {a, b};
  Bytes frame;
  encode_admin_reply(reply, frame);
  AdminReply back;
  ASSERT_FALSE(decode_admin_reply(frame, back));
  EXPECT_EQ(back.message, "two models");
  ASSERT_EQ(back.models.size(), 2u);
  EXPECT_EQ(back.models[0].name, "alpha");
  EXPECT_EQ(back.models[0].state, ModelState::kDraining);
  EXPECT_EQ(back.models[0].input_shape, (std::vector<uint32_t>{4, 16}));
  EXPECT_EQ(back.models[0].output_shape, (std::vector<uint32_t>{3}));
  EXPECT_EQ(back.models[0].answered, 100u);
  EXPECT_EQ(back.models[0].errors, 4u);
  EXPECT_EQ(back.models[1].version, "10");
  EXPECT_TRUE(back.models[1].input_shape.empty());
  for (size_t n = 0; n < frame.size(); ++n) {
    EXPECT_TRUE(decode_admin_reply(std::span(frame).first(n), back)) << n;
  }
}

}  // namespace
}  // namespace guiju::inference

// The verifier's own SHA-256 against OpenSSL's, over every length that exercises the padding
// (one or two tail blocks), whole blocks, and pairs of unequal length.

#include "core/journal/sha256_batch.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace guiju::journal {
namespace {

std::vector<std::byte> random_bytes(std::mt19937_64& rng, size_t n) {
  std::vector<std::byte> v(n);
  for (std::byte& b : v) b = static_cast<std::byte>(rng());
  return v;
}

TEST(Sha256Batch, KnownAnswers) {
  Sha256Batch batch;
  const std::string abc = "abc";
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  std::vector<Message> messages = {
      {reinterpret_cast<const std::byte*>(abc.data()), abc.size()},
      {reinterpret_cast<const std::byte*>(two_blocks.data()), two_blocks.size()},
      {nullptr, 0},
  };
  std::vector<Digest> out(messages.size());
  batch.hash(messages, out);
  EXPECT_EQ(to_hex(out[0]), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(out[1]), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(to_hex(out[2]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Batch, AgreesWithOpenSslOnEveryLengthAndPairing) {
  Sha256Batch batch;
  if (!batch.accelerated()) {
    std::printf("note: no SHA extensions on this CPU; checking the OpenSSL path only\n");
  }
  std::mt19937_64 rng(7);
  std::vector<std::vector<std::byte>> inputs;
  for (size_t n = 0; n <= 300; ++n) inputs.push_back(random_bytes(rng, n));
  // Shuffled so that neighbours (hashed as a pair) differ in length and block count.
  std::shuffle(inputs.begin(), inputs.end(), rng);
  inputs.push_back(random_bytes(rng, 4096 + 17));
  std::vector<Message> messages;
  for (const auto& v : inputs) messages.push_back({v.data(), v.size()});
  std::vector<Digest> out(messages.size());
  batch.hash(messages, out);
  for (size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_EQ(out[i], sha256(inputs[i]))
        << "message " << i << " of " << inputs[i].size() << " bytes";
  }
}

TEST(Sha256Batch, OddCountAndForcedOpenSslPathAgree) {
  std::mt19937_64 rng(11);
  std::vector<std::vector<std::byte>> inputs;
  for (int i = 0; i < 7; ++i) inputs.push_back(random_bytes(rng, 128));
  std::vector<Message> messages;
  for (const auto& v : inputs) messages.push_back({v.data(), v.size()});
  std::vector<Digest> fast(messages.size());
  std::vector<Digest> plain(messages.size());
  Sha256Batch(true).hash(messages, fast);
  Sha256Batch forced(false);
  EXPECT_FALSE(forced.accelerated());
  forced.hash(messages, plain);
  EXPECT_EQ(fast, plain);
}

}  // namespace
}  // namespace guiju::journal

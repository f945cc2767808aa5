#include "core/journal/sha256_batch.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace guiju::journal {

#if defined(__x86_64__)

bool cpu_has_sha_extensions() {
  unsigned eax = 0;
  unsigned ebx = 0;
  unsigned ecx = 0;
  unsigned edx = 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sha = (ebx & (1u << 29)) != 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool ssse3 = (ecx & (1u << 9)) != 0;
  const bool sse41 = (ecx & (1u << 19)) != 0;
  return sha && ssse3 && sse41;
}

namespace {

#define GUIJU_SHA_TARGET __attribute__((target("sha,ssse3,sse4.1")))

constexpr std::array<uint32_t, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::array<uint32_t, 8> kInitialState = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

// A message seen as 64-byte blocks: its whole blocks read in place, then one or two blocks of
// tail and padding built on the side.
class PaddedMessage {
 public:
  explicit PaddedMessage(const Message& m)
      : data_(reinterpret_cast<const uint8_t*>(m.data)), whole_(m.size / 64) {
    const size_t rest = m.size % 64;
    const size_t tail_blocks = rest + 9 <= 64 ? 1 : 2;
    std::memcpy(tail_.data(), data_ + whole_ * 64, rest);
    tail_[rest] = 0x80;
    std::memset(tail_.data() + rest + 1, 0, tail_blocks * 64 - rest - 1);
    const uint64_t bits = static_cast<uint64_t>(m.size) * 8;
    for (int i = 0; i < 8; ++i) {
      tail_[tail_blocks * 64 - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
    }
    blocks_ = whole_ + tail_blocks;
  }
  size_t blocks() const { return blocks_; }
  const uint8_t* block(size_t i) const {
    return i < whole_ ? data_ + i * 64 : tail_.data() + (i - whole_) * 64;
  }

 private:
  const uint8_t* data_;
  size_t whole_;
  size_t blocks_ = 0;
  std::array<uint8_t, 128> tail_{};
};

// The state as the SHA instructions want it: ABEF and CDGH.
struct LaneState {
  __m128i abef;
  __m128i cdgh;
};

GUIJU_SHA_TARGET inline LaneState initial_lane_state() {
  const __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kInitialState.data()));
  const __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kInitialState.data() + 4));
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  return {_mm_alignr_epi8(cdab, efgh, 8), _mm_blend_epi16(efgh, cdab, 0xF0)};
}

GUIJU_SHA_TARGET inline Digest lane_digest(const LaneState& s) {
  const __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
  const __m128i dcba = _mm_blend_epi16(feba, dchg, 0xF0);
  const __m128i hgfe = _mm_alignr_epi8(dchg, feba, 8);
  // Words to big-endian bytes.
  const __m128i swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
  Digest out;
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out.data()), _mm_shuffle_epi8(dcba, swap));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out.data() + 16), _mm_shuffle_epi8(hgfe, swap));
  return out;
}

// One 64-byte block into each of Lanes states, the lanes advanced in lockstep so that their
// independent round chains overlap in the pipeline.
template <int Lanes>
GUIJU_SHA_TARGET inline void compress(LaneState* state, const uint8_t* const* block) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  LaneState saved[Lanes];
  __m128i w[Lanes][4];
#pragma GCC unroll 4
  for (int l = 0; l < Lanes; ++l) saved[l] = state[l];
#pragma GCC unroll 16
  for (int g = 0; g < 16; ++g) {
    const __m128i k =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(kRoundConstants.data() + 4 * size_t(g)));
#pragma GCC unroll 4
    for (int l = 0; l < Lanes; ++l) {
      __m128i& wg = w[l][g & 3];
      if (g < 4) {
        wg = _mm_shuffle_epi8(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(block[l] + 16 * size_t(g))),
            byte_swap);
      } else {
        // w[t] = s1(w[t-2]) + w[t-7] + s0(w[t-15]) + w[t-16], four at a time.
        const __m128i& w1 = w[l][(g + 3) & 3];  // w[t-4 .. t-1]
        const __m128i& w2 = w[l][(g + 2) & 3];  // w[t-8 .. t-5]
        const __m128i& w3 = w[l][(g + 1) & 3];  // w[t-12 .. t-9]
        const __m128i x = _mm_add_epi32(_mm_sha256msg1_epu32(wg, w3), _mm_alignr_epi8(w1, w2, 4));
        wg = _mm_sha256msg2_epu32(x, w1);
      }
      __m128i wk = _mm_add_epi32(wg, k);
      state[l].cdgh = _mm_sha256rnds2_epu32(state[l].cdgh, state[l].abef, wk);
      wk = _mm_shuffle_epi32(wk, 0x0E);
      state[l].abef = _mm_sha256rnds2_epu32(state[l].abef, state[l].cdgh, wk);
      // After two rounds the roles swap back: abef holds ABEF again, cdgh holds CDGH.
    }
  }
#pragma GCC unroll 4
  for (int l = 0; l < Lanes; ++l) {
    state[l].abef = _mm_add_epi32(state[l].abef, saved[l].abef);
    state[l].cdgh = _mm_add_epi32(state[l].cdgh, saved[l].cdgh);
  }
}

GUIJU_SHA_TARGET Digest hash_one(const Message& m) {
  const PaddedMessage p(m);
  LaneState s = initial_lane_state();
  for (size_t i = 0; i < p.blocks(); ++i) {
    const uint8_t* const b = p.block(i);
    compress<1>(&s, &b);
  }
  return lane_digest(s);
}

GUIJU_SHA_TARGET void hash_two(const Message& ma, const Message& mb, Digest& da, Digest& db) {
  const PaddedMessage pa(ma);
  const PaddedMessage pb(mb);
  LaneState s[2] = {initial_lane_state(), initial_lane_state()};
  const size_t both = std::min(pa.blocks(), pb.blocks());
  size_t i = 0;
  for (; i < both; ++i) {
    const uint8_t* const b[2] = {pa.block(i), pb.block(i)};
    compress<2>(s, b);
  }
  // Whichever is longer finishes alone.
  for (size_t j = i; j < pa.blocks(); ++j) {
    const uint8_t* const b = pa.block(j);
    compress<1>(&s[0], &b);
  }
  for (size_t j = i; j < pb.blocks(); ++j) {
    const uint8_t* const b = pb.block(j);
    compress<1>(&s[1], &b);
  }
  da = lane_digest(s[0]);
  db = lane_digest(s[1]);
}

}  // namespace

#else

bool cpu_has_sha_extensions() {
  return false;
}

#endif

Sha256Batch::Sha256Batch(bool use_cpu_extensions)
    : accelerated_(use_cpu_extensions && cpu_has_sha_extensions()) {}

void Sha256Batch::hash(std::span<const Message> messages, std::span<Digest> out) {
#if defined(__x86_64__)
  if (accelerated_) {
    size_t i = 0;
    for (; i + 2 <= messages.size(); i += 2) {
      hash_two(messages[i], messages[i + 1], out[i], out[i + 1]);
    }
    if (i < messages.size()) out[i] = hash_one(messages[i]);
    return;
  }
#endif
  for (size_t i = 0; i < messages.size(); ++i) {
    out[i] = fallback_.hash(std::span<const std::byte>(messages[i].data, messages[i].size));
  }
}

}  // namespace guiju::journal

#include "inference/cpu/dense_layer.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "inference/cpu/activations.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace guiju::inference::cpu {
namespace {

// Outputs per panel: 8 AVX2 registers, or 4 AVX-512 registers (measured faster than 8 on AMD
// Zen 4, which issues a 512-bit FMA as two 256-bit halves); the portable kernel keeps 32 in 8
// blocks of 4 floats.
constexpr size_t kPanelOutputs = 64;
constexpr size_t kPortablePanel = 32;
constexpr size_t kPortableLanes = 4;

size_t round_up(size_t n, size_t to) {
  return (n + to - 1) / to * to;
}

// ---------------------------------------------------------------------------------------------
// Portable kernels: plain loops over small fixed-width blocks, which the compiler vectorises
// for the baseline instruction set.

void panel_portable(const float* x, const float* w, const float* bias, size_t k, size_t width,
                    float* out) {
  alignas(64) float acc[kPortablePanel];
  std::memcpy(acc, bias, width * sizeof(float));
  for (size_t i = 0; i < k; ++i) {
    const float xi = x[i];
    for (size_t c = 0; c < width; ++c) acc[c] += w[c] * xi;
    w += width;
  }
  std::memcpy(out, acc, width * sizeof(float));
}

float dot_portable(const float* x, const float* w, size_t k) {
  constexpr size_t kParts = 8;
  float acc[kParts] = {};
  size_t i = 0;
  for (; i + kParts <= k; i += kParts) {
    for (size_t j = 0; j < kParts; ++j) acc[j] += w[i + j] * x[i + j];
  }
  float s = 0;
  for (; i < k; ++i) s += w[i] * x[i];
  for (const float a : acc) s += a;
  return s;
}

// ---------------------------------------------------------------------------------------------
// AVX2 + FMA and AVX-512 kernels, compiled for their target whatever the build's baseline, and
// called only when the CPU has it.

#if defined(__x86_64__)
template <size_t kVectors>
__attribute__((target("avx2,fma"))) void panel_avx2(const float* x, const float* w,
                                                    const float* bias, size_t k, float* out) {
  __m256 acc[kVectors];
  for (size_t v = 0; v < kVectors; ++v) acc[v] = _mm256_load_ps(bias + 8 * v);
  for (size_t i = 0; i < k; ++i) {
    const __m256 xi = _mm256_broadcast_ss(x + i);
    for (size_t v = 0; v < kVectors; ++v) {
      acc[v] = _mm256_fmadd_ps(_mm256_load_ps(w + 8 * v), xi, acc[v]);
    }
    w += 8 * kVectors;
  }
  for (size_t v = 0; v < kVectors; ++v) _mm256_storeu_ps(out + 8 * v, acc[v]);
}

__attribute__((target("avx2,fma"))) void panel_avx2_any(const float* x, const float* w,
                                                        const float* bias, size_t k, size_t vectors,
                                                        float* out) {
  switch (vectors) {
    case 1:
      panel_avx2<1>(x, w, bias, k, out);
      return;
    case 2:
      panel_avx2<2>(x, w, bias, k, out);
      return;
    case 3:
      panel_avx2<3>(x, w, bias, k, out);
      return;
    case 4:
      panel_avx2<4>(x, w, bias, k, out);
      return;
    case 5:
      panel_avx2<5>(x, w, bias, k, out);
      return;
    case 6:
      panel_avx2<6>(x, w, bias, k, out);
      return;
    case 7:
      panel_avx2<7>(x, w, bias, k, out);
      return;
    default:
      panel_avx2<8>(x, w, bias, k, out);
      return;
  }
}

template <size_t kVectors>
__attribute__((target("avx512f"))) void panel_avx512(const float* x, const float* w,
                                                     const float* bias, size_t k, float* out) {
  __m512 acc[kVectors];
  for (size_t v = 0; v < kVectors; ++v) acc[v] = _mm512_load_ps(bias + 16 * v);
  for (size_t i = 0; i < k; ++i) {
    const __m512 xi = _mm512_set1_ps(x[i]);
    for (size_t v = 0; v < kVectors; ++v) {
      acc[v] = _mm512_fmadd_ps(_mm512_load_ps(w + 16 * v), xi, acc[v]);
    }
    w += 16 * kVectors;
  }
  for (size_t v = 0; v < kVectors; ++v) _mm512_storeu_ps(out + 16 * v, acc[v]);
}

__attribute__((target("avx512f"))) void panel_avx512_any(const float* x, const float* w,
                                                         const float* bias, size_t k,
                                                         size_t vectors, float* out) {
  switch (vectors) {
    case 1:
      panel_avx512<1>(x, w, bias, k, out);
      return;
    case 2:
      panel_avx512<2>(x, w, bias, k, out);
      return;
    case 3:
      panel_avx512<3>(x, w, bias, k, out);
      return;
    default:
      panel_avx512<4>(x, w, bias, k, out);
      return;
  }
}

__attribute__((target("avx2,fma"))) float dot_avx2(const float* x, const float* w, size_t k) {
  __m256 a0 = _mm256_setzero_ps();
  __m256 a1 = _mm256_setzero_ps();
  __m256 a2 = _mm256_setzero_ps();
  __m256 a3 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= k; i += 32) {
    a0 = _mm256_fmadd_ps(_mm256_load_ps(w + i), _mm256_loadu_ps(x + i), a0);
    a1 = _mm256_fmadd_ps(_mm256_load_ps(w + i + 8), _mm256_loadu_ps(x + i + 8), a1);
    a2 = _mm256_fmadd_ps(_mm256_load_ps(w + i + 16), _mm256_loadu_ps(x + i + 16), a2);
    a3 = _mm256_fmadd_ps(_mm256_load_ps(w + i + 24), _mm256_loadu_ps(x + i + 24), a3);
  }
  for (; i + 8 <= k; i += 8) {
    a0 = _mm256_fmadd_ps(_mm256_load_ps(w + i), _mm256_loadu_ps(x + i), a0);
  }
  const __m256 sum8 = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(sum8), _mm256_extractf128_ps(sum8, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  float tail = _mm_cvtss_f32(s);
  for (; i < k; ++i) tail += w[i] * x[i];  // x has exactly k floats: no vector reads past it
  return tail;
}
#endif

}  // namespace

bool supports(Isa isa) {
#if defined(__x86_64__)
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  switch (isa) {
    case Isa::kPortable:
      return true;
    case Isa::kAvx2:
      return avx2;
    case Isa::kAvx512:
      return avx2 && __builtin_cpu_supports("avx512f");
  }
  return false;
#else
  return isa == Isa::kPortable;
#endif
}

Isa best_isa() {
  static const Isa isa = [] {
    Isa best = supports(Isa::kAvx512) ? Isa::kAvx512
               : supports(Isa::kAvx2) ? Isa::kAvx2
                                      : Isa::kPortable;
    // Read once, at the first model's load, before any run.
    const char* cap = std::getenv("GUIJU_INFERENCE_ISA");  // NOLINT(concurrency-mt-unsafe)
    const std::string_view wanted = cap != nullptr ? cap : "";
    if (wanted == "avx2" && best == Isa::kAvx512) best = Isa::kAvx2;
    if (wanted == "portable") best = Isa::kPortable;
    return best;
  }();
  return isa;
}

std::string_view isa_name(Isa isa) {
  switch (isa) {
    case Isa::kAvx512:
      return "avx512";
    case Isa::kAvx2:
      return "avx2+fma";
    case Isa::kPortable:
      return "portable";
  }
  return "?";
}

DenseLayer::DenseLayer(size_t inputs, size_t outputs,
                       const std::function<float(size_t, size_t)>& weight,
                       const std::vector<float>& bias, Activation activation,
                       float activation_alpha, Isa isa)
    : inputs_(inputs),
      outputs_(outputs),
      activation_(activation),
      activation_alpha_(activation_alpha),
      isa_(supports(isa) ? isa : Isa::kPortable),
      lanes_(isa_ == Isa::kAvx512 ? 16
             : isa_ == Isa::kAvx2 ? 8
                                  : kPortableLanes),
      panel_(isa_ == Isa::kPortable ? kPortablePanel : kPanelOutputs),
      dot_(outputs_ < lanes_),
      row_stride_(dot_ ? round_up(inputs_, lanes_) : 0),
      bias_(round_up(outputs_, panel_)) {
  for (size_t n = 0; n < outputs_ && !bias.empty(); ++n) bias_.data()[n] = bias[n];
  if (dot_) {
    packed_ = AlignedBuffer(row_stride_ * outputs_);
    for (size_t n = 0; n < outputs_; ++n) {
      for (size_t k = 0; k < inputs_; ++k) packed_.data()[n * row_stride_ + k] = weight(k, n);
    }
    return;
  }
  // Panel p holds outputs [p*panel, p*panel + width) for every input k, width floats per k; the
  // last panel is as wide as the whole vectors it needs, its padding zero.
  packed_ = AlignedBuffer(round_up(outputs_, lanes_) * inputs_);
  float* w = packed_.data();
  for (size_t p0 = 0; p0 < outputs_; p0 += panel_) {
    const size_t width = std::min(panel_, round_up(outputs_ - p0, lanes_));
    for (size_t k = 0; k < inputs_; ++k) {
      for (size_t c = 0; c < width; ++c) w[c] = p0 + c < outputs_ ? weight(k, p0 + c) : 0.0F;
      w += width;
    }
  }
}

void DenseLayer::run(const float* x, size_t rows, float* y) const {
  // One row at a time: the packed weights stay in L2 between rows.
  for (size_t r = 0; r < rows; ++r) run_row(x + r * inputs_, y + r * outputs_);
}

void DenseLayer::run_row(const float* x, float* y) const {
  const float* w = packed_.data();
  if (dot_) {
    for (size_t n = 0; n < outputs_; ++n) {
      const float* row = w + n * row_stride_;
#if defined(__x86_64__)
      const float s =
          isa_ != Isa::kPortable ? dot_avx2(x, row, inputs_) : dot_portable(x, row, inputs_);
#else
      const float s = dot_portable(x, row, inputs_);
#endif
      y[n] = s + bias_.data()[n];
    }
    apply_activation(activation_, activation_alpha_, y, outputs_);
    return;
  }
  alignas(64) float tail[kPanelOutputs];
  for (size_t p0 = 0; p0 < outputs_; p0 += panel_) {
    const size_t width = std::min(panel_, round_up(outputs_ - p0, lanes_));
    const size_t valid = std::min(width, outputs_ - p0);
    // A partial last panel is computed into `tail`, then its valid outputs copied out.
    float* out = valid == width ? y + p0 : tail;
#if defined(__x86_64__)
    if (isa_ == Isa::kAvx512) {
      panel_avx512_any(x, w, bias_.data() + p0, inputs_, width / lanes_, out);
    } else if (isa_ == Isa::kAvx2) {
      panel_avx2_any(x, w, bias_.data() + p0, inputs_, width / lanes_, out);
    } else {
      panel_portable(x, w, bias_.data() + p0, inputs_, width, out);
    }
#else
    panel_portable(x, w, bias_.data() + p0, inputs_, width, out);
#endif
    if (out == tail) std::memcpy(y + p0, tail, valid * sizeof(float));
    w += width * inputs_;
  }
  apply_activation(activation_, activation_alpha_, y, outputs_);
}

}  // namespace guiju::inference::cpu

#include "inference/cpu/vector_tanh.hpp"

#include <cstring>

#include "inference/cpu/dense_layer.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace guiju::inference::cpu {
namespace {

#if defined(__x86_64__)
// Eigen's generic_fast_tanh_float: clamp, an odd degree-13 numerator over an even degree-6
// denominator, and x itself where |x| < 0.0004.
constexpr float kClamp = 7.99881172180175781F;
constexpr float kTiny = 0.0004F;
constexpr float kA1 = 4.89352455891786e-03F;
constexpr float kA3 = 6.37261928875436e-04F;
constexpr float kA5 = 1.48572235717979e-05F;
constexpr float kA7 = 5.12229709037114e-08F;
constexpr float kA9 = -8.60467152213735e-11F;
constexpr float kA11 = 2.00018790482477e-13F;
constexpr float kA13 = -2.76076847742355e-16F;
constexpr float kB0 = 4.89352518554385e-03F;
constexpr float kB2 = 2.26843463243900e-03F;
constexpr float kB4 = 1.18534705686654e-04F;
constexpr float kB6 = 1.19825839466702e-06F;

__attribute__((target("avx512f"))) void tanh_avx512(const float* in, float* out, size_t n,
                                                    float scale_in, float scale_out, float shift) {
  const __m512 si = _mm512_set1_ps(scale_in);
  const __m512 so = _mm512_set1_ps(scale_out);
  const __m512 sh = _mm512_set1_ps(shift);
  for (size_t i = 0; i < n; i += 16) {
    const auto mask = static_cast<__mmask16>(n - i >= 16 ? 0xFFFFU : (1U << (n - i)) - 1U);
    const __m512 a = _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, in + i), si);
    // The maskz forms: GCC 12 warns of an uninitialised operand in the plain min and max.
    const __m512 x = _mm512_maskz_max_ps(
        0xFFFF, _mm512_maskz_min_ps(0xFFFF, a, _mm512_set1_ps(kClamp)), _mm512_set1_ps(-kClamp));
    const __mmask16 tiny = _mm512_cmp_ps_mask(_mm512_abs_ps(a), _mm512_set1_ps(kTiny), _CMP_LT_OQ);
    const __m512 x2 = _mm512_mul_ps(x, x);
    __m512 p = _mm512_fmadd_ps(x2, _mm512_set1_ps(kA13), _mm512_set1_ps(kA11));
    p = _mm512_fmadd_ps(x2, p, _mm512_set1_ps(kA9));
    p = _mm512_fmadd_ps(x2, p, _mm512_set1_ps(kA7));
    p = _mm512_fmadd_ps(x2, p, _mm512_set1_ps(kA5));
    p = _mm512_fmadd_ps(x2, p, _mm512_set1_ps(kA3));
    p = _mm512_fmadd_ps(x2, p, _mm512_set1_ps(kA1));
    p = _mm512_mul_ps(x, p);
    __m512 q = _mm512_fmadd_ps(x2, _mm512_set1_ps(kB6), _mm512_set1_ps(kB4));
    q = _mm512_fmadd_ps(x2, q, _mm512_set1_ps(kB2));
    q = _mm512_fmadd_ps(x2, q, _mm512_set1_ps(kB0));
    const __m512 t = _mm512_mask_blend_ps(tiny, _mm512_div_ps(p, q), x);
    _mm512_mask_storeu_ps(out + i, mask, _mm512_fmadd_ps(t, so, sh));
  }
}

__attribute__((target("avx2,fma"))) __m256 tanh8(__m256 a) {
  const __m256 x = _mm256_max_ps(_mm256_min_ps(a, _mm256_set1_ps(kClamp)), _mm256_set1_ps(-kClamp));
  const __m256 abs = _mm256_andnot_ps(_mm256_set1_ps(-0.0F), a);
  const __m256 tiny = _mm256_cmp_ps(abs, _mm256_set1_ps(kTiny), _CMP_LT_OQ);
  const __m256 x2 = _mm256_mul_ps(x, x);
  __m256 p = _mm256_fmadd_ps(x2, _mm256_set1_ps(kA13), _mm256_set1_ps(kA11));
  p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(kA9));
  p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(kA7));
  p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(kA5));
  p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(kA3));
  p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(kA1));
  p = _mm256_mul_ps(x, p);
  __m256 q = _mm256_fmadd_ps(x2, _mm256_set1_ps(kB6), _mm256_set1_ps(kB4));
  q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(kB2));
  q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(kB0));
  return _mm256_blendv_ps(_mm256_div_ps(p, q), x, tiny);
}

__attribute__((target("avx2,fma"))) void tanh_avx2(const float* in, float* out, size_t n,
                                                   float scale_in, float scale_out, float shift) {
  const __m256 si = _mm256_set1_ps(scale_in);
  const __m256 so = _mm256_set1_ps(scale_out);
  const __m256 sh = _mm256_set1_ps(shift);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 t = tanh8(_mm256_mul_ps(_mm256_loadu_ps(in + i), si));
    _mm256_storeu_ps(out + i, _mm256_fmadd_ps(t, so, sh));
  }
  if (i == n) return;
  // The last few through a padded block: no reads or writes past the end.
  alignas(32) float block[8] = {};
  std::memcpy(block, in + i, (n - i) * sizeof(float));
  const __m256 t = tanh8(_mm256_mul_ps(_mm256_load_ps(block), si));
  _mm256_store_ps(block, _mm256_fmadd_ps(t, so, sh));
  std::memcpy(out + i, block, (n - i) * sizeof(float));
}
#endif

}  // namespace

bool vector_tanh(const float* in, float* out, size_t n, float scale_in, float scale_out,
                 float shift) {
#if defined(__x86_64__)
  switch (best_isa()) {
    case Isa::kAvx512:
      tanh_avx512(in, out, n, scale_in, scale_out, shift);
      return true;
    case Isa::kAvx2:
      tanh_avx2(in, out, n, scale_in, scale_out, shift);
      return true;
    case Isa::kPortable:
      return false;
  }
#endif
  (void)in;
  (void)out;
  (void)n;
  (void)scale_in;
  (void)scale_out;
  (void)shift;
  return false;
}

}  // namespace guiju::inference::cpu

#pragma once
// tanh over a run of floats with the widest vectors the CPU has (AVX-512 or AVX2 with FMA),
// chosen at run time: Eigen's own rational approximation (the FMA variant of
// generic_fast_tanh_float, a few ulp from the exact value), 4 to 16 lanes wide where Eigen,
// compiled for the build's SSE baseline, runs 4. Sigmoid is the same kernel through
// sigmoid(x) = 0.5 + 0.5 tanh(x / 2).

#include <cstddef>

namespace guiju::inference::cpu {

// out[i] = shift + scale_out * tanh(scale_in * in[i]); in and out may be the same. False, with
// nothing written, when the CPU has neither AVX-512 nor AVX2 with FMA (the caller then uses
// Eigen).
bool vector_tanh(const float* in, float* out, size_t n, float scale_in, float scale_out,
                 float shift);

}  // namespace guiju::inference::cpu

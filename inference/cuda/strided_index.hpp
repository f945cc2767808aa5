#pragma once
// Index plans for the CUDA kernels that walk an output and read operands at other offsets:
// broadcasting binary ops and Transpose. Worked out on the host for one batch size, with
// dimensions of 1 dropped and neighbours merged where every operand walks them as one, so the
// kernels divide as little as possible (a bias along the last dimension becomes two dimensions
// whatever the rank).

#include "inference/cpu/run_shape.hpp"
#include "inference/cuda/kernels.hpp"

namespace guiju::inference::cuda {

// y = a op b with ONNX (numpy) broadcasting; a and b aligned to the right of y.
StridedIndex broadcast_index(const cpu::Dims& a, const cpu::Dims& b, const cpu::Dims& y);

// y = transpose(x, perm): output dimension i is input dimension perm[i].
StridedIndex transpose_index(const cpu::Dims& x, const int* perm, const cpu::Dims& y);

}  // namespace guiju::inference::cuda

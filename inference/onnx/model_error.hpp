#pragma once
// Why a model was refused: at load (the file, the node, the op type and the attribute or shape at
// fault) or when its backend planned it. Loading never half-succeeds: a model either loads whole
// or throws this.

#include <stdexcept>

namespace guiju::inference {

class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace guiju::inference

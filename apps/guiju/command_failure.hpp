#pragma once
// How every engine-running command ends on an exception: the logs flushed, one line on standard
// error saying what was wrong, and the exit code (2: the config; 1: the data or the run).

#include <string_view>

namespace guiju {

// Call only from a catch block: rethrows the exception in flight to classify it.
int exit_code_for_failure(std::string_view command);

}  // namespace guiju

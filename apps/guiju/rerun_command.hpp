#pragma once
// `guiju replay --rerun DIR --config FILE`: re-runs a recorded session against its journal.

#include <string>

namespace guiju {

// Returns 0 for zero divergence, 1 for a divergence or a damaged journal, 2 for a bad config.
int rerun_command(const std::string& journal_dir, const std::string& config_path);

}  // namespace guiju

#pragma once
// The report of a replay for the strategy developer: one self-contained HTML page (inline CSS and
// SVG, nothing fetched, readable offline) with the summary figures, the equity curve over its
// drawdown, each instrument's position, and each instrument's price with every fill on it.
// The same record always gives the same bytes.

#include <ostream>

#include "core/analysis/run_record.hpp"

namespace guiju {

void write_html_report(std::ostream& out, const RunRecord& record);

}  // namespace guiju

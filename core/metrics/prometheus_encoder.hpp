#pragma once
// The Prometheus text exposition format (version 0.0.4) of a MetricsSnapshot: every family with
// its HELP and TYPE lines, counters named *_total, histograms as cumulative *_bucket{le=...} with
// *_sum and *_count, label values escaped. docs/metrics.md lists what each metric means.

#include <string>
#include <string_view>

#include "core/metrics/metrics_snapshot.hpp"

namespace guiju {

inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

std::string encode_prometheus(const MetricsSnapshot& snapshot);

// A label value as the format requires it: backslash, double quote and line feed escaped.
std::string escape_label_value(std::string_view value);

}  // namespace guiju

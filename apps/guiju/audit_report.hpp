#pragma once
// `guiju audit report DIR`: order activity per account and strategy against the CSRC
// high-frequency thresholds and the firm's filed figures, as text and as a self-contained HTML
// page.

#include <cstdint>
#include <string>

namespace guiju {

struct AuditReportArguments {
  std::string directory;
  std::string html;                    // write the HTML page here (optional)
  uint64_t filed_peak_per_second = 0;  // the firm's filed peak; 0: not filed
  uint64_t filed_per_day = 0;
};

// Returns 0; 1 when the journal is damaged (the report covers the records before the damage).
int audit_report_command(const AuditReportArguments& args);

}  // namespace guiju

#include "apps/guiju/audit_report.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/analysis/html_escape.hpp"
#include "core/clock/calendar.hpp"
#include "core/journal/activity_report.hpp"

namespace guiju {

namespace {

using journal::ActivityRow;

std::string who(int64_t id) {
  return id < 0 ? "all" : std::to_string(id);
}

std::string fixed2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// What a row's figures mean against the thresholds; empty when nothing to flag.
std::string flags(const ActivityRow& r, const AuditReportArguments& a) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  if (r.strategy < 0) {  // the thresholds are per account
    if (r.peak_messages_per_second >= journal::kCsrcPeakPerSecond) {
      add("CSRC high-frequency: peak " + std::to_string(r.peak_messages_per_second) + "/s >= 300");
    }
    if (r.messages() >= journal::kCsrcPerDay) {
      add("CSRC high-frequency: " + std::to_string(r.messages()) + "/day >= 20000");
    }
    if (a.filed_peak_per_second != 0 && r.peak_messages_per_second > a.filed_peak_per_second) {
      add("above filed peak " + std::to_string(a.filed_peak_per_second) + "/s");
    }
    if (a.filed_per_day != 0 && r.messages() > a.filed_per_day) {
      add("above filed " + std::to_string(a.filed_per_day) + "/day");
    }
  }
  return out;
}

std::string rejects(const ActivityRow& r) {
  std::string out;
  for (const auto& [reason, n] : r.risk_rejects) {
    out += (out.empty() ? "" : ", ") + reason + " " + std::to_string(n);
  }
  return out;
}

// Empty when self-trade prevention stopped nothing.
std::string self_trades(const ActivityRow& r) {
  if (r.self_trade_refused == 0 && r.self_trade_cancels == 0) return {};
  return std::to_string(r.self_trade_refused) + " refused, " +
         std::to_string(r.self_trade_cancels) + " resting cancelled";
}

void write_html(std::ostream& out, const journal::ActivityReport& rep,
                const AuditReportArguments& a) {
  out << "<!doctype html><html><head><meta charset=\"utf-8\"><title>Guiju order activity</title>"
         "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
         "td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}"
         "td.l,th.l{text-align:left}tr.total{font-weight:bold;background:#f3f3f3}"
         ".flag{color:#b00020}</style></head><body>\n"
      << "<h1>Order activity</h1><p>Journal <code>" << html_escape(a.directory) << "</code>, "
      << rep.records << " records. CSRC high-frequency thresholds: 300 messages in one second, "
      << "20,000 in a day, per account. Filed figures: "
      << (a.filed_peak_per_second ? std::to_string(a.filed_peak_per_second) + "/s" : "none") << ", "
      << (a.filed_per_day ? std::to_string(a.filed_per_day) + "/day" : "none") << ".</p>\n";
  if (!rep.damage.empty()) {
    out << "<p class=\"flag\">Journal damaged: " << html_escape(rep.damage)
        << ". The report covers the records before the damage.</p>\n";
  }
  out << "<table><tr><th class=l>day</th><th>account</th><th>strategy</th><th>orders</th>"
         "<th>replaces</th><th>cancels</th><th>fills</th><th>order/trade</th>"
         "<th>cancel ratio</th><th>cancels &lt;1s</th><th>peak msgs/s</th><th>msgs/day</th>"
         "<th class=l>risk rejects</th><th class=l>self-trade attempts</th>"
         "<th class=l>flags</th></tr>\n";
  for (const ActivityRow& r : rep.rows) {
    out << "<tr" << (r.strategy < 0 ? " class=total" : "") << "><td class=l>" << r.trading_day
        << "</td><td>" << who(r.account) << "</td><td>" << who(r.strategy) << "</td><td>"
        << r.orders << "</td><td>" << r.replaces << "</td><td>" << r.cancels << "</td><td>"
        << r.fills << "</td><td>" << fixed2(r.order_to_trade()) << "</td><td>"
        << fixed2(r.cancel_ratio()) << "</td><td>" << r.cancels_within_1s << "</td><td>"
        << r.peak_messages_per_second << "</td><td>" << r.messages() << "</td><td class=l>"
        << html_escape(rejects(r)) << "</td><td class=l>" << html_escape(self_trades(r))
        << "</td><td class=\"l flag\">" << html_escape(flags(r, a)) << "</td></tr>\n";
  }
  out << "</table>\n<h2>Kill switch and other operator commands</h2>\n";
  if (rep.control_events.empty()) out << "<p>None.</p>\n";
  for (const journal::ControlEvent& e : rep.control_events) {
    out << "<p>" << format_utc(e.time) << " " << html_escape(e.action) << " by "
        << html_escape(e.issued_by) << ": " << html_escape(e.reason) << "</p>\n";
  }
  out << "</body></html>\n";
}

}  // namespace

int audit_report_command(const AuditReportArguments& args) {
  const journal::ActivityReport rep = journal::build_activity_report(args.directory);
  std::printf("%-10s %7s %8s %8s %8s %8s %7s %7s %6s %7s %9s %9s  %s\n", "day", "account",
              "strategy", "orders", "replaces", "cancels", "fills", "ord/trd", "cxl%", "cxl<1s",
              "peak/s", "msgs/day", "flags");
  for (const ActivityRow& r : rep.rows) {
    std::printf("%-10s %7s %8s %8llu %8llu %8llu %7llu %7.2f %6.2f %7llu %9llu %9llu  %s\n",
                r.trading_day.c_str(), who(r.account).c_str(), who(r.strategy).c_str(),
                static_cast<unsigned long long>(r.orders),
                static_cast<unsigned long long>(r.replaces),
                static_cast<unsigned long long>(r.cancels),
                static_cast<unsigned long long>(r.fills), r.order_to_trade(),
                100.0 * r.cancel_ratio(), static_cast<unsigned long long>(r.cancels_within_1s),
                static_cast<unsigned long long>(r.peak_messages_per_second),
                static_cast<unsigned long long>(r.messages()), flags(r, args).c_str());
    if (!r.risk_rejects.empty()) std::printf("%12s risk rejects: %s\n", "", rejects(r).c_str());
    if (const std::string st = self_trades(r); !st.empty()) {
      std::printf("%12s self-trade attempts: %s\n", "", st.c_str());
    }
  }
  for (const journal::ControlEvent& e : rep.control_events) {
    std::printf("control  %s %s by '%s': %s\n", format_utc(e.time).c_str(), e.action.c_str(),
                e.issued_by.c_str(), e.reason.c_str());
  }
  if (!args.html.empty()) {
    std::ofstream out(args.html, std::ios::trunc);
    if (!out) {
      std::cerr << "guiju audit: cannot write '" << args.html << "'\n";
      return 2;
    }
    write_html(out, rep, args);
    std::printf("html     %s\n", args.html.c_str());
  }
  if (!rep.damage.empty()) {
    std::cerr << "guiju audit: journal damaged at " << rep.damage
              << "; the report covers the records before it\n";
    return 1;
  }
  return 0;
}

}  // namespace guiju

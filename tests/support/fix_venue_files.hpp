#pragma once
// The files a live-mode end-to-end test writes for `guiju venue` and for the engine's FIX
// sessions: the venue's acceptor settings and config (two instruments, a synthetic background
// market, A-share rules), and an initiator's settings, all FIX 4.4 with the project's dictionary.

#include <string>

namespace guiju::test {

inline std::string fix_dictionary_dir() {
  return std::string(GUIJU_SOURCE_ROOT) + "/configs/fix";
}

// The venue's acceptor on `port`: the engine's order session (GUIJU-ORD) and market-data session
// (GUIJU-MD).
inline std::string fix_venue_settings(int port, const std::string& store_dir) {
  return "[DEFAULT]\nConnectionType=acceptor\nSenderCompID=GUIJU-VENUE\nSocketAcceptPort=" +
         std::to_string(port) + "\nSocketReuseAddress=Y\nFileStorePath=" + store_dir +
         "\nNonStopSession=Y\nStartTime=00:00:00\nEndTime=00:00:00\nUseDataDictionary=Y\n"
         "DataDictionary=" +
         fix_dictionary_dir() +
         "/FIX44.xml\n\n[SESSION]\nBeginString=FIX.4.4\nTargetCompID=GUIJU-ORD\n\n[SESSION]\n"
         "BeginString=FIX.4.4\nTargetCompID=GUIJU-MD\n";
}

// `guiju venue`'s config: its background market against the wall clock at `background_speed`
// (0.01: a quote every few seconds, for a book that holds still while a scenario works), with
// `quotes_per_second` of market time across both instruments.
inline std::string fix_venue_config(const std::string& settings_path, double background_speed,
                                    int quotes_per_second = 4) {
  return R"(mode: paper
trading_date: "20261127"
logging: { level: info, console: true }
instruments:
  - { symbol: "600519", venue: SSE, tick_size: "0.01", lot_size: 100, board: main, currency: CNY, previous_close: "1700.00" }
  - { symbol: "000001", venue: SZSE, tick_size: "0.01", lot_size: 100, board: main, currency: CNY, previous_close: "11.20" }
endpoints: { market_data: synthetic }
synthetic: { seed: 11, quotes_per_second: )" +
         std::to_string(quotes_per_second) + R"(, trade_probability: 0.3 }
venue: { market_rules: ashare }
paper: { duration_seconds: 0, speed: )" +
         std::to_string(background_speed) + " }\nfix: { settings: " + settings_path + " }\n";
}

// An engine session to the venue at `port` as `sender`.
inline std::string fix_initiator_settings(int port, const std::string& store_dir,
                                          const std::string& sender) {
  return "[DEFAULT]\nConnectionType=initiator\nBeginString=FIX.4.4\nStartTime=00:00:00\n"
         "EndTime=00:00:00\nHeartBtInt=5\nReconnectInterval=1\nSocketConnectHost=127.0.0.1\n"
         "SocketConnectPort=" +
         std::to_string(port) + "\nSocketNodelay=Y\nFileStorePath=" + store_dir +
         "\nUseDataDictionary=Y\nDataDictionary=" + fix_dictionary_dir() +
         "/FIX44.xml\nValidateUserDefinedFields=N\n\n[SESSION]\nSenderCompID=" + sender +
         "\nTargetCompID=GUIJU-VENUE\n";
}

}  // namespace guiju::test

#pragma once
// The one header through which Guiju code includes QuickFIX (Debian's libquickfix-dev 1.15.1).
// Adapter-private: only adapters/fix and its tests include it.
//
// Why a shim: QuickFIX's headers declare C++03 dynamic exception specifications,
// `void validate( const Message& ) const throw( FIX::Exception )`, which C++17 removed, so they do
// not compile as C++20. Every one of them is the keyword followed by a parenthesis. Every
// throw expression in those headers is `throw X(...)` or `throw;`, never `throw(...)` (checked with
// `grep -rn 'throw *('` over the installed quickfix/ headers: only specifications match). A
// function-like macro is expanded only where its name is followed by `(`, so `#define throw(...)`
// erases exactly the specifications and leaves the throw expressions alone. What it changes:
//   - `throw( X )` functions become potentially-throwing, which is what they are;
//   - the destructors declared `throw()` stay non-throwing: a destructor is noexcept anyway.
// The macro must not reach any other header, so every standard and system header QuickFIX
// includes is included first, before the #define; their include guards then keep QuickFIX's own
// #includes of them from reading them again. The list is complete when `g++ -H` on a file that
// includes this header shows no header outside quickfix/ opened for the first time after the
// #define.
//
// Do not define HAVE_STD_UNIQUE_PTR: Debian built the library without it, so QuickFIX's SmartPtr is
// std::auto_ptr in the library's own signatures (DataDictionary::readFromDocument takes a
// std::auto_ptr<DOMDocument>), and the headers must say the same. libstdc++ still provides it.
//
// The warnings silenced below are the ones the project's flags (cmake/GuijuWarnings.cmake) raise
// inside QuickFIX's headers when they are not on a system include path; they are QuickFIX's, and
// the push/pop keeps them silenced there only. The message classes come before the crackers, so
// that the crackers' casts from FIX::Message to them are downcasts to complete types, not
// reinterpretations of incomplete ones.

// clang-format off
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <numeric>
#include <queue>
#include <set>
#include <sstream>
#include <stdlib.h>  // NOLINT(modernize-deprecated-headers): QuickFIX includes this name
#include <string>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"     // std::auto_ptr, see above
#pragma GCC diagnostic ignored "-Wdeprecated-copy"             // copy ctor, implicit operator=
#pragma GCC diagnostic ignored "-Wignored-qualifiers"          // `const int` return types
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"  // `tm result = { 0 }`
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wkeyword-macro"  // the #define below, on purpose
#endif

#define throw(...)

#include <quickfix/Application.h>
#include <quickfix/DataDictionary.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Log.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/Values.h>

#include <quickfix/fix42/BusinessMessageReject.h>
#include <quickfix/fix42/ExecutionReport.h>
#include <quickfix/fix42/Heartbeat.h>
#include <quickfix/fix42/Logon.h>
#include <quickfix/fix42/Logout.h>
#include <quickfix/fix42/MarketDataIncrementalRefresh.h>
#include <quickfix/fix42/MarketDataRequest.h>
#include <quickfix/fix42/MarketDataRequestReject.h>
#include <quickfix/fix42/MarketDataSnapshotFullRefresh.h>
#include <quickfix/fix42/NewOrderSingle.h>
#include <quickfix/fix42/OrderCancelReject.h>
#include <quickfix/fix42/OrderCancelReplaceRequest.h>
#include <quickfix/fix42/OrderCancelRequest.h>
#include <quickfix/fix42/OrderStatusRequest.h>
#include <quickfix/fix42/Reject.h>
#include <quickfix/fix42/ResendRequest.h>
#include <quickfix/fix42/SequenceReset.h>
#include <quickfix/fix42/TestRequest.h>
#include <quickfix/fix42/MessageCracker.h>

#include <quickfix/fix44/BusinessMessageReject.h>
#include <quickfix/fix44/ExecutionReport.h>
#include <quickfix/fix44/Heartbeat.h>
#include <quickfix/fix44/Logon.h>
#include <quickfix/fix44/Logout.h>
#include <quickfix/fix44/MarketDataIncrementalRefresh.h>
#include <quickfix/fix44/MarketDataRequest.h>
#include <quickfix/fix44/MarketDataRequestReject.h>
#include <quickfix/fix44/MarketDataSnapshotFullRefresh.h>
#include <quickfix/fix44/NewOrderSingle.h>
#include <quickfix/fix44/OrderCancelReject.h>
#include <quickfix/fix44/OrderCancelReplaceRequest.h>
#include <quickfix/fix44/OrderCancelRequest.h>
#include <quickfix/fix44/OrderStatusRequest.h>
#include <quickfix/fix44/Reject.h>
#include <quickfix/fix44/ResendRequest.h>
#include <quickfix/fix44/SequenceReset.h>
#include <quickfix/fix44/TestRequest.h>
#include <quickfix/fix44/MessageCracker.h>

#undef throw

#pragma GCC diagnostic pop
// clang-format on

#pragma once
// CURVE key pairs for the control plane (ZeroMQ's CurveZMQ: Curve25519 keys written in Z85, 40
// characters each), and the files they live in.
//
// A key file is text, one `field = value` per line, `#` comments:
//
//     name = alice
//     public-key = rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7
//     secret-key = JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6
//
// `guiju ctl keygen NAME` writes NAME.key (both keys, mode 0600) and NAME.pub (the public key
// only, to hand to whoever keeps the engine's allow-list).

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace guiju::control {

// A key in Z85 text (40 characters); the 32 key bytes are what the wire and ZAP carry.
using Z85Key = std::string;

struct CurveKeyPair {
  std::string name;   // who it belongs to (the allow-list names keys the same way)
  Z85Key public_key;  // always present
  Z85Key secret_key;  // empty in a .pub file
  bool has_secret() const { return !secret_key.empty(); }
};

// A fresh pair from libzmq (libsodium's random source). Throws std::runtime_error when this
// libzmq was built without CURVE.
CurveKeyPair generate_key_pair(std::string name);

// Reads a .key or .pub file. Throws std::runtime_error naming the file, the line and what is
// wrong: an unknown field, a key that is not 40 Z85 characters, a secret key that does not
// belong to the public key, no public key at all.
CurveKeyPair read_key_file(const std::filesystem::path& path);

// Writes NAME.key (0600, created new: an existing file is never overwritten) and NAME.pub into
// `directory`. Throws std::runtime_error naming the file on failure. Returns the .key path.
std::filesystem::path write_key_files(const CurveKeyPair& pair,
                                      const std::filesystem::path& directory);

// The 32 bytes a Z85 key stands for; nullopt when `text` is not a valid 40-character key.
std::optional<std::array<uint8_t, 32>> decode_z85_key(std::string_view text);
Z85Key encode_z85_key(const std::array<uint8_t, 32>& key);

// A short, stable id for a public key (its first 8 Z85 characters): how logs and the journal
// name a key without printing it whole.
std::string key_fingerprint(std::string_view public_key);

}  // namespace guiju::control

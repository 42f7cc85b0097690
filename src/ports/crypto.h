// Secrets handling the app layer needs without knowing the library behind it: random tokens,
// fast digests for token lookup, password hashing, and sealing secret case fields at rest.
// Implementations must be thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace casedesk::ports {

class Crypto {
 public:
  virtual ~Crypto() = default;

  // 256 bits from a CSPRNG, URL-safe text (e.g. for API tokens and session ids).
  virtual std::string RandomToken() const = 0;
  // A shorter random identifier for public ids (attachments), URL-safe.
  virtual std::string RandomId() const = 0;
  // A random numeric PIN of the given number of digits.
  virtual std::string RandomPin(int digits) const = 0;
  // SHA-256 of the input, 32 raw bytes.
  virtual std::string Digest(std::string_view input) const = 0;
  // A 256-bit MAC of `message` under the desk's key (keyed BLAKE2b/HMAC), 32 raw bytes: for
  // values handed out that must not be forgeable, such as signed reply addresses.
  virtual std::string Mac(std::string_view message) const = 0;
  // HMAC-SHA-256 of `message` under `key`, 32 raw bytes: for signatures others verify with a
  // shared secret (webhook deliveries).
  virtual std::string HmacSha256(std::string_view key, std::string_view message) const = 0;
  // Constant-time equality of two byte strings of any length.
  virtual bool ConstantTimeEquals(std::string_view a, std::string_view b) const = 0;

  // argon2id, self-describing string.
  virtual absl::StatusOr<std::string> HashPassword(std::string_view password) const = 0;
  virtual bool VerifyPassword(std::string_view hash, std::string_view password) const = 0;

  // Authenticated encryption of secret case fields with the desk's key.
  virtual std::string Seal(std::string_view plaintext) const = 0;
  virtual absl::StatusOr<std::string> Unseal(std::string_view sealed) const = 0;
};

}  // namespace casedesk::ports

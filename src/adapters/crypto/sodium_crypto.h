// ports::Crypto on libsodium: CSPRNG tokens and ids, SHA-256 digests, argon2id password hashes
// and XSalsa20-Poly1305 (secretbox) sealing of secret case fields under the desk's 32-byte key.
// Also loads, or creates once, the key file that holds that key.
// Thread-safe: libsodium's functions are thread-safe once initialised, the key is immutable, and
// password hashing is bounded by a counting semaphore.
#pragma once

#include <memory>
#include <semaphore>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ports/crypto.h"

namespace casedesk::adapters::crypto {

// Length of the secretbox key, of a key file, and of the argument to SodiumCrypto::Create.
inline constexpr size_t kSecretKeyBytes = 32;

class SodiumCrypto final : public ports::Crypto {
 public:
  // Fails with InvalidArgument unless the key is exactly kSecretKeyBytes raw bytes.
  static absl::StatusOr<std::unique_ptr<SodiumCrypto>> Create(std::string secret_key);
  ~SodiumCrypto() override;

  SodiumCrypto(const SodiumCrypto&) = delete;
  SodiumCrypto& operator=(const SodiumCrypto&) = delete;

  // "cd_" followed by 32 random bytes in unpadded URL-safe base64 (46 characters in all). The
  // prefix lets secret scanners and people recognise a Casedesk token.
  std::string RandomToken() const override;
  // 16 random bytes in unpadded URL-safe base64 (22 characters).
  std::string RandomId() const override;
  // `digits` decimal digits, each uniform over 0-9 (leading zeros kept); digits below 1 count
  // as 1.
  std::string RandomPin(int digits) const override;
  // SHA-256, 32 raw bytes.
  std::string Digest(std::string_view input) const override;
  // Keyed BLAKE2b-256 under a subkey derived from the desk's key (crypto_kdf, context
  // "mailsign"), so the secretbox key itself is used for nothing else.
  std::string Mac(std::string_view message) const override;
  std::string HmacSha256(std::string_view key, std::string_view message) const override;
  // False when the lengths differ (the length is not secret); otherwise compares in time that
  // does not depend on where the inputs differ.
  bool ConstantTimeEquals(std::string_view a, std::string_view b) const override;

  // argon2id13 with libsodium's INTERACTIVE limits (2 passes over 64 MiB): the cost libsodium
  // recommends for interactive logins, a few tens of milliseconds here. Passwords are checked
  // only at login and `init` (API requests authenticate with a token digest), so this cost is
  // paid rarely, while an offline attacker pays 64 MiB per guess. At most
  // hardware_concurrency() hashes run at once so that a burst of logins cannot take
  // 64 MiB per request thread: the extra callers wait.
  absl::StatusOr<std::string> HashPassword(std::string_view password) const override;
  // False for a wrong password and for a hash that is not an argon2 string.
  bool VerifyPassword(std::string_view hash, std::string_view password) const override;

  // A random 24-byte nonce followed by crypto_secretbox_easy of the plaintext (16-byte tag).
  std::string Seal(std::string_view plaintext) const override;
  // InvalidArgument when too short to be sealed data; DataLoss when authentication fails
  // (tampered, truncated, or sealed under another key).
  absl::StatusOr<std::string> Unseal(std::string_view sealed) const override;

 private:
  explicit SodiumCrypto(std::string secret_key);

  std::string secret_key_;
  std::string mac_key_;
  mutable std::counting_semaphore<> password_hashing_slots_;
};

// Returns the 32-byte key stored at `path`, creating the file first when it does not exist: a
// fresh random key written to a temporary file in the same directory with mode 0600, fsynced,
// then linked into place (link(2) rather than rename(2), so a key another process created at
// the same moment is never overwritten: the loser reads the winner's key), and the directory
// fsynced. A file of any other length is InvalidArgument; the directory must exist.
absl::StatusOr<std::string> LoadOrCreateKeyFile(const std::string& path);

}  // namespace casedesk::adapters::crypto

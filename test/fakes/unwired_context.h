// An AppContext whose ports refuse every call, for tests that only build things (such as the
// route table) and must never touch a store, a clock or a key. Any call is a test bug and fails
// loudly with Unavailable / an empty value. Not thread-safe to construct; fine to share after.
#pragma once

#include "app/app_context.h"

namespace casedesk::test {

class UnwiredContext {
 public:
  app::AppContext& context() { return context_; }

 private:
  class RefusingStore : public ports::Store {
   public:
    void Write(ports::UnitOfWork, std::function<void(absl::Status)> done) override {
      done(Refused());
    }
    absl::Status Read(const ports::UnitOfWork&) override { return Refused(); }
    absl::Status Backup(const std::string&) override { return Refused(); }
    absl::Status Migrate() override { return Refused(); }
    absl::Status Ping() override { return Refused(); }
  };
  class RefusingClock : public ports::Clock {
   public:
    absl::Time Now() const override { return absl::UnixEpoch(); }
  };
  class RefusingCrypto : public ports::Crypto {
   public:
    std::string RandomToken() const override { return ""; }
    std::string RandomId() const override { return ""; }
    std::string RandomPin(int) const override { return ""; }
    std::string Digest(std::string_view) const override { return ""; }
    std::string Mac(std::string_view) const override { return ""; }
    std::string HmacSha256(std::string_view, std::string_view) const override { return ""; }
    bool ConstantTimeEquals(std::string_view, std::string_view) const override { return false; }
    absl::StatusOr<std::string> HashPassword(std::string_view) const override { return Refused(); }
    bool VerifyPassword(std::string_view, std::string_view) const override { return false; }
    std::string Seal(std::string_view) const override { return ""; }
    absl::StatusOr<std::string> Unseal(std::string_view) const override { return Refused(); }
  };
  class RefusingBlobStore : public ports::BlobStore {
   public:
    absl::StatusOr<std::string> Put(std::string_view) override { return Refused(); }
    absl::StatusOr<std::string> Get(std::string_view) const override { return Refused(); }
  };

  static absl::Status Refused() { return absl::UnavailableError("unwired test context"); }

  RefusingStore store_;
  RefusingClock clock_;
  RefusingCrypto crypto_;
  RefusingBlobStore blobs_;
  app::AppContext context_{store_, clock_, crypto_, blobs_, app::Limits{}};
};

}  // namespace casedesk::test

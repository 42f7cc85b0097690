#include "adapters/cli/calendar_command.h"

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/system/calendar_file.h"
#include "core/business_calendar.h"

namespace casedesk::adapters {
namespace {

constexpr int kUsageError = 2;

int Fail(std::ostream& err, std::string_view command, std::string_view what,
         const absl::Status& status) {
  err << "casedesk calendar " << command << ": " << what;
  if (!status.ok()) err << status.message();
  err << "\n";
  return kUsageError;
}

}  // namespace

int RunCalendarAdd(const std::string& calendar_path, const std::string& from,
                   int64_t minutes, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "add";
  if (minutes < 0) {
    return Fail(err, kCommand, "--minutes must be 0 or more", absl::OkStatus());
  }
  absl::StatusOr<absl::Time> start = ParseRfc3339Instant(from);
  if (!start.ok()) return Fail(err, kCommand, "--from: ", start.status());
  absl::StatusOr<core::BusinessCalendar> calendar =
      LoadCalendarFile(calendar_path);
  if (!calendar.ok()) return Fail(err, kCommand, "", calendar.status());

  const absl::Time due = calendar->AddBusinessMinutes(*start, minutes);
  if (due == absl::InfiniteFuture()) {
    return Fail(err, kCommand,
                "the calendar has not that much business time before the "
                "year 10000",
                absl::OkStatus());
  }
  out << FormatRfc3339Utc(due) << "\n";
  return 0;
}

int RunCalendarBetween(const std::string& calendar_path,
                       const std::string& from, const std::string& to,
                       std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "between";
  absl::StatusOr<absl::Time> a = ParseRfc3339Instant(from);
  if (!a.ok()) return Fail(err, kCommand, "--from: ", a.status());
  absl::StatusOr<absl::Time> b = ParseRfc3339Instant(to);
  if (!b.ok()) return Fail(err, kCommand, "--to: ", b.status());
  absl::StatusOr<core::BusinessCalendar> calendar =
      LoadCalendarFile(calendar_path);
  if (!calendar.ok()) return Fail(err, kCommand, "", calendar.status());

  out << calendar->BusinessSecondsBetween(*a, *b) << "\n";
  return 0;
}

}  // namespace casedesk::adapters

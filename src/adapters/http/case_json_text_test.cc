#include "adapters/http/case_json_text.h"

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "adapters/http/json_cases.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::http {
namespace {

// Random cases, clocks and explanations with every kind of text, each written both ways.
class RandomViews {
 public:
  explicit RandomViews(unsigned seed) : random_(seed) {}

  app::CaseView Next() {
    app::CaseView view;
    core::Case& record = view.record;
    record.number = 100000 + Below(900000);
    record.org_id = Below(50);
    record.requester_id = Below(5000);
    record.subject = Text();
    record.description = Text() + "\n\n" + Text();
    record.severity = static_cast<core::Severity>(Below(4));
    record.proposed_severity = static_cast<core::Severity>(Below(4));
    record.severity_confirmed = Below(2) == 0;
    record.status = static_cast<core::CaseStatus>(Below(6));
    record.category = static_cast<core::Category>(Below(3));
    record.product = Text();
    record.component = Text();
    if (Below(2) == 0) record.assignee_id = Below(100);
    if (Below(2) == 0) record.group_id = Below(10);
    record.partner_reference = Text();
    for (int n = Below(4); n > 0; --n) record.followers.push_back(Below(1000));
    for (int n = Below(4); n > 0; --n) record.fields[Text()] = Text();
    record.created_at = Instant();
    record.updated_at = Instant();
    if (Below(2) == 0) record.first_public_reply_at = Instant();
    if (Below(3) == 0) record.solved_at = Instant();
    if (Below(4) == 0) record.closed_at = Instant();
    record.security_incident = Below(5) == 0;
    record.escalation_tier = static_cast<core::Tier>(Below(3));
    if (Below(3) == 0) {
      view.secret_fields.emplace();
      for (int n = Below(3); n > 0; --n) (*view.secret_fields)[Text()] = Text();
    }
    if (Below(4) != 0) {
      app::CaseSla sla;
      sla.plan = Below(2) == 0 ? "enterprise" : Text();
      sla.clocks.severity = record.severity;
      sla.clocks.first_response = Clock();
      sla.clocks.next_update = Clock();
      sla.clocks.resolution = Clock();
      if (Below(3) == 0) sla.clocks.triage = Clock();
      if (Below(3) == 0) sla.clocks.status_notification = Clock();
      if (Below(3) == 0) sla.clocks.estimate = Clock();
      view.sla = std::move(sla);
    }
    return view;
  }

 private:
  int Below(int n) { return static_cast<int>(random_() % static_cast<unsigned>(n)); }

  std::string Text() {
    static const std::vector<std::string> kPieces = {
        "a",  "Zz", " ",    "\"",   "\\",   "/",     "\n",   "\r",   "\t",
        "\b", "\f", "\x01", "\x1f", "\x7f", "é",     "–",    "😀",    "{",
        "}",  "[]", ":",    ",",    "<b>",  "&amp;", "\xC3", "\xFF", "\xED\xA0\x80",
        "0",  "-1", "null"};
    std::string text;
    for (int n = Below(8); n > 0; --n) text += kPieces[Below(static_cast<int>(kPieces.size()))];
    return text;
  }

  absl::Time Instant() {
    if (Below(40) == 0) return absl::InfinitePast();
    return absl::FromUnixMicros(1600000000000000 +
                                static_cast<int64_t>(random_() % 200000000) * 1000000 +
                                static_cast<int64_t>(random_() % 1000000));
  }

  std::optional<absl::Time> MaybeInstant() {
    if (Below(2) == 0) return std::nullopt;
    return Instant();
  }

  core::SlaTarget Target() {
    core::SlaTarget target = Below(3) == 0 ? core::SlaTarget::Named(Text(), Text())
                                           : core::SlaTarget::Minutes(Below(5000), Text());
    return target;
  }

  core::SlaClock Clock() {
    core::SlaClock clock;
    clock.state = static_cast<core::SlaClockState>(Below(5));
    clock.target = Target();
    clock.cycle = Below(4);
    clock.started_at = MaybeInstant();
    clock.due_at = MaybeInstant();
    clock.warning_at = MaybeInstant();
    clock.achieved_at = MaybeInstant();
    clock.breached_at = MaybeInstant();
    clock.elapsed = absl::Minutes(Below(10000)) + absl::Seconds(Below(60));
    if (Below(2) == 0) clock.remaining = absl::Minutes(Below(10000));
    for (int n = Below(5); n > 0; --n) {
      core::SlaStep step;
      step.kind = static_cast<core::SlaStep::Kind>(Below(12));
      step.at = Instant();
      step.until = Below(2) == 0 ? absl::InfiniteFuture() : Instant();
      step.from = Instant();
      step.amount = absl::Minutes(Below(3000));
      step.target = Target();
      step.calendar = Text();
      step.from_severity = static_cast<core::Severity>(Below(4));
      step.to_severity = static_cast<core::Severity>(Below(4));
      step.status = static_cast<core::CaseStatus>(Below(6));
      step.cycle = Below(4);
      clock.explanation.push_back(step);
    }
    return clock;
  }

  std::mt19937 random_;
};

TEST(CaseJsonTextTest, WritesWhatCaseToJsonDumps) {
  RandomViews views(42);
  for (int i = 0; i < 2000; ++i) {
    const app::CaseView view = views.Next();
    const std::string expected =
        CaseToJson(view).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    ASSERT_EQ(CaseViewJsonText(view), expected) << "view " << i;
  }
}

TEST(CaseJsonTextTest, ABareCaseToo) {
  app::CaseView view;
  view.record.number = 100001;
  EXPECT_EQ(CaseViewJsonText(view),
            CaseToJson(view).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  EXPECT_TRUE(nlohmann::json::parse(CaseViewJsonText(view)).is_object());
}

}  // namespace
}  // namespace casedesk::adapters::http

// LiveUpdates with recording streams: which events reach which stream, presence without the
// viewer, presence signals between nodes, expiry, the queue event's rate, keep-alives and the
// streams' age limit.
#include "adapters/http/live_updates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace casedesk::adapters::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class RecordingStream : public ResponseStream {
 public:
  bool Write(std::string text) override {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    text_ += text;
    return true;
  }
  void Close() override {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  bool closed() const override {
    std::lock_guard lock(mutex_);
    return closed_;
  }
  std::string Take() {
    std::lock_guard lock(mutex_);
    return std::exchange(text_, "");
  }

 private:
  mutable std::mutex mutex_;
  std::string text_;
  bool closed_ = false;
};

LiveUpdates::Options Fast() {
  LiveUpdates::Options options;
  options.tick = std::chrono::milliseconds(5);
  options.queue_event_interval = std::chrono::milliseconds(200);
  return options;
}

// Waits up to 2 s for `stream` to have received something containing `text`.
std::string WaitFor(RecordingStream& stream, const std::string& text) {
  std::string seen;
  for (int i = 0; i < 400 && seen.find(text) == std::string::npos; ++i) {
    seen += stream.Take();
    if (seen.find(text) == std::string::npos)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return seen;
}

TEST(LiveUpdatesTest, ACaseChangeReachesThatCasesWatchersOnly) {
  LiveUpdates live(Fast());
  auto watching_7 = std::make_shared<RecordingStream>();
  auto watching_8 = std::make_shared<RecordingStream>();
  live.WatchCase(7, 1, watching_7);
  live.WatchCase(8, 1, watching_8);
  EXPECT_EQ(watching_7->Take(), "event: presence\ndata: {\"others\":[]}\n\n");
  watching_8->Take();
  live.CasesChanged({3, 7});
  EXPECT_EQ(watching_7->Take(), "event: case\ndata: 7\n\n");
  EXPECT_EQ(watching_8->Take(), "");
}

TEST(LiveUpdatesTest, QueueEventsAreCoalescedToOneAnInterval) {
  LiveUpdates live(Fast());
  auto queue = std::make_shared<RecordingStream>();
  live.WatchQueues(queue);
  for (int i = 0; i < 20; ++i) live.CasesChanged({100 + i});
  std::string seen = WaitFor(*queue, "event: queue");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // inside the interval
  seen += queue->Take();
  size_t events = 0;
  for (size_t at = seen.find("event: queue"); at != std::string::npos;
       at = seen.find("event: queue", at + 1)) {
    ++events;
  }
  EXPECT_EQ(events, 1u) << seen;
  EXPECT_THAT(seen, Not(HasSubstr("100"))) << "queue events name no case";
}

TEST(LiveUpdatesTest, PresenceLeavesOutTheViewerAndSendsOnlyChanges) {
  LiveUpdates live(Fast());
  auto ann = std::make_shared<RecordingStream>();
  auto bob = std::make_shared<RecordingStream>();
  live.WatchCase(5, /*viewer=*/1, ann);
  live.WatchCase(5, /*viewer=*/2, bob);
  ann->Take();
  bob->Take();
  live.SetPresence(5, 1, "Ann", PresenceState::kViewing);
  EXPECT_EQ(ann->Take(), "event: presence\ndata: {\"others\":[]}\n\n");
  EXPECT_EQ(bob->Take(),
            "event: presence\ndata: {\"others\":[{\"name\":\"Ann\",\"state\":\"viewing\"}]}\n\n");
  live.SetPresence(5, 1, "Ann", PresenceState::kViewing);  // a heartbeat: no news
  EXPECT_EQ(bob->Take(), "");
  live.SetPresence(5, 1, "Ann", PresenceState::kTyping);
  EXPECT_THAT(bob->Take(), HasSubstr("\"state\":\"typing\""));
  live.SetPresence(5, 1, "Ann", PresenceState::kLeft);
  EXPECT_EQ(bob->Take(), "event: presence\ndata: {\"others\":[]}\n\n");
}

TEST(LiveUpdatesTest, PresenceTravelsBetweenNodesAsSignals) {
  // Two nodes' hubs, joined the way the store's broadcast joins them: each signal reaches
  // every node, the sender's own included, which ignores it.
  LiveUpdates first(Fast());
  LiveUpdates second(Fast());
  std::vector<std::string> signals;
  auto broadcast = [&](const std::string& signal) {
    signals.push_back(signal);
    EXPECT_FALSE(first.ApplyPresenceSignal(signal));
    EXPECT_TRUE(second.ApplyPresenceSignal(signal));
  };
  first.SetPresenceBroadcast("node-1", broadcast);
  second.SetPresenceBroadcast("node-2", broadcast);
  auto bob_on_second = std::make_shared<RecordingStream>();
  second.WatchCase(5, /*viewer=*/2, bob_on_second);
  bob_on_second->Take();

  first.SetPresence(5, 1, "Ann de la Cruz", PresenceState::kTyping);
  EXPECT_EQ(signals.back(), "presence node-1 1 5 1 typing Ann de la Cruz");
  EXPECT_EQ(bob_on_second->Take(),
            "event: presence\ndata: {\"others\":[{\"name\":\"Ann de la Cruz\","
            "\"state\":\"typing\"}]}\n\n");
  first.SetPresence(5, 1, "Ann de la Cruz", PresenceState::kLeft);
  EXPECT_EQ(bob_on_second->Take(), "event: presence\ndata: {\"others\":[]}\n\n");

  // A signal overtaken by a later one from the same node (pooled connections) changes nothing:
  // the late "typing" (sequence 1) arrives after the "left" (sequence 2).
  EXPECT_TRUE(second.ApplyPresenceSignal(signals.front()));
  EXPECT_EQ(bob_on_second->Take(), "");

  EXPECT_FALSE(second.ApplyPresenceSignal("access"));
  EXPECT_FALSE(second.ApplyPresenceSignal("presence node-1 9 5 x typing Ann"));
  EXPECT_FALSE(second.ApplyPresenceSignal("presence node-1 9 5 1 dancing Ann"));
  EXPECT_FALSE(second.ApplyPresenceSignal("presence node-1 9 5 1 typing"));
  EXPECT_FALSE(second.ApplyPresenceSignal("presence node-1 x 5 1 typing Ann"));
  EXPECT_FALSE(second.ApplyPresenceSignal("presence node-2 9 5 1 typing Ann"));  // its own
  EXPECT_EQ(bob_on_second->Take(), "");
}

TEST(LiveUpdatesTest, PresenceExpiresWithoutHeartbeats) {
  LiveUpdates::Options options = Fast();
  options.presence_ttl = std::chrono::milliseconds(50);
  LiveUpdates live(options);
  auto bob = std::make_shared<RecordingStream>();
  live.WatchCase(5, 2, bob);
  live.SetPresence(5, 1, "Ann", PresenceState::kViewing);
  EXPECT_THAT(bob->Take(), HasSubstr("Ann"));
  EXPECT_THAT(WaitFor(*bob, "{\"others\":[]}"), HasSubstr("{\"others\":[]}"));
}

TEST(LiveUpdatesTest, QuietStreamsGetKeepAlivesAndOldOnesAreEnded) {
  LiveUpdates::Options options = Fast();
  options.keepalive = std::chrono::milliseconds(20);
  options.max_stream_age = std::chrono::milliseconds(300);
  LiveUpdates live(options);
  auto queue = std::make_shared<RecordingStream>();
  live.WatchQueues(queue);
  EXPECT_THAT(WaitFor(*queue, ": keep-alive\n\n"), HasSubstr(": keep-alive\n\n"));
  for (int i = 0; i < 400 && !queue->closed(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(queue->closed());
  for (int i = 0; i < 400 && live.open_streams() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(live.open_streams(), 0u);
}

TEST(LiveUpdatesTest, ClosedStreamsAreDroppedAndTheDestructorEndsTheRest) {
  auto gone = std::make_shared<RecordingStream>();
  auto open = std::make_shared<RecordingStream>();
  {
    LiveUpdates live(Fast());
    live.WatchCase(9, 1, gone);
    live.WatchCase(9, 2, open);
    gone->Close();
    live.CasesChanged({9});
    EXPECT_EQ(live.open_streams(), 1u);
  }
  EXPECT_TRUE(open->closed());
}

}  // namespace
}  // namespace casedesk::adapters::http

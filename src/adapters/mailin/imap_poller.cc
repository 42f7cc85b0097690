// Polls one IMAP mailbox: peek, deliver, and only then mark, move or delete (imap_poller.h).
#include "adapters/mailin/imap_poller.h"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "adapters/mailin/imap_connection.h"

namespace casedesk::adapters::mailin {
namespace {

std::set<std::string> Capabilities(const ImapResponse& response) {
  std::set<std::string> capabilities;
  for (const ImapUntagged& untagged : response.untagged) {
    if (!absl::StartsWithIgnoreCase(untagged.text, "CAPABILITY ")) continue;
    for (absl::string_view word : absl::StrSplit(untagged.text, ' ', absl::SkipEmpty())) {
      capabilities.insert(absl::AsciiStrToUpper(word));
    }
  }
  return capabilities;
}

bool ParseNumber(std::string_view text, uint64_t* value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

// The number after `name` in a FETCH response's text, e.g. "UID" in "1 FETCH (UID 7 ...)".
bool FetchNumber(std::string_view text, std::string_view name, uint64_t* value) {
  const std::vector<std::string> words =
      absl::StrSplit(std::string(text), absl::ByAnyChar(" ()"), absl::SkipEmpty());
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (absl::EqualsIgnoreCase(words[i], std::string(name)) && ParseNumber(words[i + 1], value)) {
      return true;
    }
  }
  return false;
}

bool IsFetch(const ImapUntagged& untagged) {
  const std::vector<std::string> words = absl::StrSplit(untagged.text, ' ', absl::SkipEmpty());
  return words.size() >= 2 && absl::EqualsIgnoreCase(words[1], "FETCH");
}

}  // namespace

absl::Status ImapPoller::ValidateOptions(const Options& options) {
  absl::StatusOr<ImapEndpoint> endpoint = ParseImapUrl(options.url);
  if (!endpoint.ok()) return endpoint.status();
  if (options.username.empty()) return absl::InvalidArgumentError("IMAP username: empty");
  if (options.password.empty()) return absl::InvalidArgumentError("IMAP password: empty");
  if (options.after == After::kMove) {
    if (absl::Status status = CheckMailboxName(options.folder, "IMAP folder"); !status.ok()) {
      return status;
    }
    if (options.folder == endpoint->mailbox) {
      return absl::InvalidArgumentError("IMAP folder: must differ from the polled mailbox");
    }
  }
  if (options.poll_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("IMAP poll_interval: must be positive");
  }
  if (options.batch < 1) return absl::InvalidArgumentError("IMAP batch: must be at least 1");
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("IMAP timeout: must be positive");
  }
  if (options.max_message_bytes == 0) {
    return absl::InvalidArgumentError("IMAP max_message_bytes: must be positive");
  }
  return absl::OkStatus();
}

ImapPoller::ImapPoller(Options options, DeliverFn deliver)
    : options_(std::move(options)),
      deliver_(std::move(deliver)),
      valid_(ValidateOptions(options_)) {}

ImapPoller::~ImapPoller() { Stop(); }

void ImapPoller::Log(std::string_view message) const {
  if (options_.log) {
    options_.log(message);
  } else {
    std::cerr << "casedesk mail: " << message << std::endl;
  }
}

absl::StatusOr<PollCounts> ImapPoller::PollOnce() {
  if (!valid_.ok()) return valid_;
  ImapConnection::Options connection_options;
  connection_options.url = options_.url;
  connection_options.username = options_.username;
  connection_options.password = options_.password;
  connection_options.verify_tls = options_.verify_tls;
  connection_options.require_starttls = options_.require_starttls;
  connection_options.timeout = options_.timeout;
  connection_options.max_literal_bytes = options_.max_message_bytes;
  connection_options.cancelled = [this] { return stopping_.load(); };
  absl::StatusOr<std::unique_ptr<ImapConnection>> opened = ImapConnection::Open(connection_options);
  if (!opened.ok()) return opened.status();
  ImapConnection& imap = **opened;
  const std::string where = absl::StrCat("IMAP ", imap.endpoint().display, ": ");
  // Runs a command that must succeed; a NO/BAD answer becomes `code` with the server's text.
  auto must = [&](const std::string& command,
                  absl::StatusCode code) -> absl::StatusOr<ImapResponse> {
    absl::StatusOr<ImapResponse> response = imap.Command(command);
    if (!response.ok() || response->ok()) return response;
    return absl::Status(code, absl::StrCat(where, command.substr(0, command.find(' ', 4)),
                                           " refused: ", response->status, " ", response->text));
  };

  absl::StatusOr<ImapResponse> capability = must("CAPABILITY", absl::StatusCode::kUnavailable);
  if (!capability.ok()) return capability.status();
  const std::set<std::string> capabilities = Capabilities(*capability);
  const bool has_move = capabilities.contains("MOVE");
  const bool has_uidplus = capabilities.contains("UIDPLUS");

  absl::StatusOr<ImapResponse> selected =
      must("SELECT " + QuoteMailbox(imap.endpoint().mailbox), absl::StatusCode::kNotFound);
  if (!selected.ok()) return selected.status();

  // UNDELETED: a message we copied and flagged \Deleted but could not expunge is done.
  absl::StatusOr<ImapResponse> searched =
      must("UID SEARCH UNSEEN UNDELETED", absl::StatusCode::kUnavailable);
  if (!searched.ok()) return searched.status();
  std::vector<uint64_t> uids;
  for (const ImapUntagged& untagged : searched->untagged) {
    if (!absl::StartsWithIgnoreCase(untagged.text, "SEARCH")) continue;
    for (absl::string_view word : absl::StrSplit(untagged.text.substr(6), ' ', absl::SkipEmpty())) {
      uint64_t uid = 0;
      if (ParseNumber(std::string_view(word.data(), word.size()), &uid)) uids.push_back(uid);
    }
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  if (uids.size() > static_cast<size_t>(options_.batch)) uids.resize(options_.batch);
  PollCounts counts;
  if (uids.empty()) return counts;

  // Sizes first, so a message over the limit is left alone instead of breaking the session.
  std::map<uint64_t, uint64_t> sizes;
  absl::StatusOr<ImapResponse> sized =
      must(absl::StrCat("UID FETCH ", absl::StrJoin(uids, ","), " (UID RFC822.SIZE)"),
           absl::StatusCode::kUnavailable);
  if (!sized.ok()) return sized.status();
  for (const ImapUntagged& untagged : sized->untagged) {
    uint64_t uid = 0, size = 0;
    if (IsFetch(untagged) && FetchNumber(untagged.text, "UID", &uid) &&
        FetchNumber(untagged.text, "RFC822.SIZE", &size)) {
      sizes[uid] = size;
    }
  }

  // Marks, moves or deletes a stored message.
  const std::string folder = QuoteMailbox(options_.folder);
  bool expunge_later = false;
  auto finish = [&](uint64_t uid) -> absl::Status {
    const std::string set = std::to_string(uid);
    if (options_.after == After::kMarkSeen) {
      return must(absl::StrCat("UID STORE ", set, " +FLAGS.SILENT (\\Seen)"),
                  absl::StatusCode::kUnavailable)
          .status();
    }
    if (options_.after == After::kMove) {
      const std::string transfer =
          absl::StrCat(has_move ? "UID MOVE " : "UID COPY ", set, " ", folder);
      absl::StatusOr<ImapResponse> moved = imap.Command(transfer);
      if (moved.ok() && !moved->ok() && absl::StrContains(moved->text, "[TRYCREATE]")) {
        absl::StatusOr<ImapResponse> created = imap.Command("CREATE " + folder);
        if (!created.ok()) return created.status();
        moved = imap.Command(transfer);
      }
      if (!moved.ok()) return moved.status();
      if (!moved->ok()) {
        return absl::UnavailableError(absl::StrCat(where, "moving to ", options_.folder,
                                                   " refused: ", moved->status, " ", moved->text));
      }
      if (has_move) return absl::OkStatus();
    }
    // kDelete, and kMove without MOVE: flag, then expunge just this one if we can.
    absl::StatusOr<ImapResponse> flagged =
        must(absl::StrCat("UID STORE ", set, " +FLAGS.SILENT (\\Seen \\Deleted)"),
             absl::StatusCode::kUnavailable);
    if (!flagged.ok()) return flagged.status();
    if (!has_uidplus) {
      expunge_later = true;
      return absl::OkStatus();
    }
    return must("UID EXPUNGE " + set, absl::StatusCode::kUnavailable).status();
  };

  MailDelivery delivery{options_.channel, "", options_.rcpt_to};
  for (uint64_t uid : uids) {
    if (stopping_.load()) break;
    if (auto size = sizes.find(uid);
        size != sizes.end() && size->second > options_.max_message_bytes) {
      ++counts.failed;
      Log(absl::StrCat(where, "message UID ", uid, " has ", size->second,
                       " bytes, more than max_message_bytes (", options_.max_message_bytes,
                       "); left unseen in the mailbox"));
      continue;
    }
    absl::StatusOr<ImapResponse> fetched =
        must(absl::StrCat("UID FETCH ", uid, " (UID BODY.PEEK[])"), absl::StatusCode::kUnavailable);
    if (!fetched.ok()) return fetched.status();
    const std::string* raw = nullptr;
    for (const ImapUntagged& untagged : fetched->untagged) {
      uint64_t fetched_uid = 0;
      if (IsFetch(untagged) && !untagged.literals.empty() &&
          FetchNumber(untagged.text, "UID", &fetched_uid) && fetched_uid == uid) {
        raw = &untagged.literals.back();
      }
    }
    if (raw == nullptr) continue;  // expunged by someone else meanwhile
    ++counts.fetched;
    const absl::Status stored = deliver_(*raw, delivery);
    if (!stored.ok()) {
      ++counts.failed;
      Log(absl::StrCat(where, "message UID ", uid,
                       " not stored, left unseen for the next poll: ", stored.ToString()));
      // The store is down: the rest would fail the same way.
      if (absl::IsUnavailable(stored)) break;
      continue;
    }
    if (absl::Status finished = finish(uid); !finished.ok()) {
      return absl::Status(finished.code(),
                          absl::StrCat(finished.message(), " (message UID ", uid,
                                       " was stored and will be delivered again)"));
    }
    ++counts.delivered;
  }
  if (expunge_later) {
    must("EXPUNGE", absl::StatusCode::kUnavailable).status().IgnoreError();
  }
  return counts;
}

void ImapPoller::Start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  {
    absl::MutexLock lock(&mutex_);
    wake_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void ImapPoller::Stop() {
  stopping_ = true;
  {
    absl::MutexLock lock(&mutex_);
    wake_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void ImapPoller::Run() {
  absl::StatusOr<ImapEndpoint> endpoint = ParseImapUrl(options_.url);
  const std::string where = endpoint.ok() ? "IMAP " + endpoint->display + ": " : "IMAP: ";
  while (!stopping_.load()) {
    if (options_.may_poll && !options_.may_poll()) {
      absl::MutexLock lock(&mutex_);
      mutex_.AwaitWithTimeout(absl::Condition(&wake_), options_.poll_interval);
      continue;
    }
    absl::StatusOr<PollCounts> counts = PollOnce();
    bool more = false;
    if (!counts.ok()) {
      if (!absl::IsCancelled(counts.status())) Log(counts.status().ToString());
    } else if (counts->fetched > 0 || counts->failed > 0) {
      Log(absl::StrCat(where, "fetched ", counts->fetched, ", delivered ", counts->delivered,
                       ", failed ", counts->failed));
      // A full batch that all went in: there is probably more waiting.
      more = counts->failed == 0 && counts->delivered >= options_.batch;
    }
    if (more) continue;
    absl::MutexLock lock(&mutex_);
    mutex_.AwaitWithTimeout(absl::Condition(&wake_), options_.poll_interval);
  }
}

}  // namespace casedesk::adapters::mailin

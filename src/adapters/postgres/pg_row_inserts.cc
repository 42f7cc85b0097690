#include "adapters/postgres/pg_row_inserts.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

namespace casedesk::adapters::postgres {
namespace {

void AppendArrayElement(const PgParams& row, size_t column, std::string& text) {
  const std::optional<std::string>& value = row.value(column);
  if (!value.has_value()) {
    text += "NULL";
    return;
  }
  text += '"';
  if (row.is_binary(column)) {
    // bytea's hex input form, its backslash escaped for the array literal.
    static constexpr char kHex[] = "0123456789abcdef";
    text += "\\\\x";
    for (unsigned char byte : *value) {
      text += kHex[byte >> 4];
      text += kHex[byte & 0xf];
    }
  } else {
    for (char c : *value) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
  }
  text += '"';
}

// A row's conflict key as one string (each value length-prefixed, so no two keys collide).
std::string KeyOf(const PgParams& row, int key_columns) {
  std::string key;
  for (int i = 0; i < key_columns && static_cast<size_t>(i) < row.size(); ++i) {
    const std::optional<std::string>& value = row.value(i);
    key += value.has_value() ? std::to_string(value->size()) + ":" + *value : "-";
    key += ';';
  }
  return key;
}

// The rows of one kind within a run, split into statements.
struct KindRows {
  const PgRowsInsert* insert;
  std::vector<std::vector<PgParams>> statements;
  std::set<std::string> keys_in_last;  // conflict keys in statements.back()
};

void AppendMergedRun(std::vector<PgQueuedWrite>::iterator begin,
                     std::vector<PgQueuedWrite>::iterator end, std::vector<PgStatement>& out) {
  std::vector<KindRows> kinds;  // in the order their first row was queued
  for (auto write = begin; write != end; ++write) {
    if (write->rows.empty()) continue;
    auto kind = std::find_if(kinds.begin(), kinds.end(),
                             [&](const KindRows& k) { return k.insert == write->insert; });
    if (kind == kinds.end()) {
      kinds.push_back(KindRows{write->insert, {{}}, {}});
      kind = std::prev(kinds.end());
    }
    for (PgParams& row : write->rows) {
      if (kind->insert->key_columns > 0) {
        std::string key = KeyOf(row, kind->insert->key_columns);
        if (kind->keys_in_last.contains(key)) {
          kind->statements.emplace_back();
          kind->keys_in_last.clear();
        }
        kind->keys_in_last.insert(std::move(key));
      }
      kind->statements.back().push_back(std::move(row));
    }
  }
  std::stable_sort(kinds.begin(), kinds.end(), [](const KindRows& a, const KindRows& b) {
    return a.insert->rank < b.insert->rank;
  });
  for (const KindRows& kind : kinds) {
    for (const std::vector<PgParams>& rows : kind.statements) {
      out.push_back(PgStatement{std::string(kind.insert->sql), RowsAsArrays(rows)});
    }
  }
}

}  // namespace

PgParams RowsAsArrays(const std::vector<PgParams>& rows) {
  PgParams arrays;
  if (rows.empty()) return arrays;
  for (size_t column = 0; column < rows.front().size(); ++column) {
    std::string text = "{";
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i > 0) text += ',';
      AppendArrayElement(rows[i], column, text);
    }
    text += '}';
    arrays.Add(text);
  }
  return arrays;
}

PgParams RowAsArrays(PgParams row) {
  std::vector<PgParams> rows;
  rows.push_back(std::move(row));
  return RowsAsArrays(rows);
}

std::vector<PgStatement> MergeQueuedWrites(std::vector<PgQueuedWrite> queued) {
  std::vector<PgStatement> out;
  auto write = queued.begin();
  while (write != queued.end()) {
    if (write->insert == nullptr) {
      out.push_back(std::move(write->statement));
      ++write;
      continue;
    }
    auto run_end = std::find_if(write, queued.end(),
                                [](const PgQueuedWrite& w) { return w.insert == nullptr; });
    AppendMergedRun(write, run_end, out);
    write = run_end;
  }
  return out;
}

}  // namespace casedesk::adapters::postgres

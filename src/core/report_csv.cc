#include "core/report_csv.h"

#include "absl/strings/numbers.h"

namespace casedesk::core {
namespace {

bool LooksLikeFormula(std::string_view text) {
  if (text.empty()) return false;
  const char first = text.front();
  if (first != '=' && first != '+' && first != '-' && first != '@' && first != '\t' &&
      first != '\r') {
    return false;
  }
  double number = 0;
  return !absl::SimpleAtod(absl::string_view(text.data(), text.size()), &number);
}

}  // namespace

std::string CsvField(std::string_view text) {
  std::string value;
  if (LooksLikeFormula(text)) value = "'";
  value.append(text);
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += CsvField(fields[i]);
  }
  line += "\r\n";
  return line;
}

std::string ToCsv(const CsvTable& table) {
  std::string text = CsvLine(table.header);
  for (const std::vector<std::string>& row : table.rows) text += CsvLine(row);
  return text;
}

}  // namespace casedesk::core
